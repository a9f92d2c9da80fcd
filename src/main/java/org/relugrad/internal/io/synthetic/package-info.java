/**
 * Internal. Inputs made rather than read: the reproducible synthetic problem of --generate and the built-in example.
 */
package org.relugrad.internal.io.synthetic;
