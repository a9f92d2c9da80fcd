/**
 * The command line: one class per command (grad, check, fit), option parsing, printed results, and the one-line
 * errors and exit codes. The only package that prints or names options; its entry point is {@link org.relugrad.cli.Main}.
 */
package org.relugrad.cli;
