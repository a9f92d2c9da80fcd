/**
 * Internal. The runtime around Spark: starting the context, the driver's address, probing the master, the
 * authentication secret, Spark's logs, ending a run whose executors cannot reach the driver, and explaining lost
 * executors, timeouts and other run failures in one line.
 */
package org.relugrad.internal.cluster;
