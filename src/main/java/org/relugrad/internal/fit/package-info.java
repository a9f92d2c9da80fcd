/**
 * Internal. Training W by L-BFGS (Breeze) on the engine's loss and gradient, with its settings, state and stop
 * reasons.
 */
package org.relugrad.internal.fit;
