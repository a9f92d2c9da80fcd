/**
 * relugrad's public API: {@link org.relugrad.ReluLoss} (f and ∂f/∂W over a Dataset or files), {@link org.relugrad.ReluRegression}
 * and its model, and their result types. Everything under {@code org.relugrad.internal} is internal and may change.
 */
package org.relugrad;
