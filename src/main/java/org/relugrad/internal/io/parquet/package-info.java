/**
 * Internal. Parquet: reading row ranges of array or scalar columns straight from the column chunks, and writing parts.
 */
package org.relugrad.internal.io.parquet;
