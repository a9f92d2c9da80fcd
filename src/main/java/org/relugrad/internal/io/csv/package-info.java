/**
 * Internal. CSV: reading a row range of X and Y (line index, decimal parsing), reading W, and writing parts with
 * the shortest decimal that reads back to the same double.
 */
package org.relugrad.internal.io.csv;
