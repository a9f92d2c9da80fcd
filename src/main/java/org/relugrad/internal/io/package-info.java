/**
 * Internal. What the engine knows of inputs and outputs: reading a row range of X and Y into a block
 * ({@link org.relugrad.internal.io.RowRangeInput}), the row writers' interfaces, Hadoop file helpers and input errors.
 */
package org.relugrad.internal.io;
