/**
 * Internal. Output folders: the per-row gradient parts and their commit, summary.json and other reports, the fit
 * folder and its loss plot, and reading a gradient folder back for check.
 */
package org.relugrad.internal.io.out;
