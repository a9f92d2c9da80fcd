/**
 * Internal. The Spark side of one pass: row blocks as an RDD, W broadcast, the kernel per partition, the aggregation
 * of loss and ∂f/∂W, per-row writing and the output commit, and caching. Knows inputs and writers only by their interfaces.
 */
package org.relugrad.internal.engine;
