/**
 * Internal. Gradient checks built on the engine: against expected outputs, and by central differences along
 * random directions.
 */
package org.relugrad.internal.check;
