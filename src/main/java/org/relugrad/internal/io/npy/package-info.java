/**
 * Internal. NumPy .npy files: the header, reading row ranges and whole matrices, and writing parts or one file.
 */
package org.relugrad.internal.io.npy;
