/**
 * Internal. The runtime around Spark: starting the context, probing the master, the authentication secret, Spark's
 * logs, and explaining lost executors and other run failures in one line.
 */
package org.relugrad.internal.cluster;
