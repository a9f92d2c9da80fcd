/**
 * Internal. Plain Java, no Spark: row blocks, the fused kernels (scalar and Vector API), the BLAS path and the
 * exact sums that make f and ∂f/∂W the same bits for any partitioning.
 */
package org.relugrad.internal.kernel;
