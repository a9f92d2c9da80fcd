/**
 * Internal. Rows that come numbered, in any order and partitioning (a Dataset's, an RDD's, a Parquet table's
 * out of file order), brought together into the engine's blocks by one shuffle of primitive arrays.
 */
package org.relugrad.internal.engine.numbered;
