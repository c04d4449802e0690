/**
 * The library's two exception families. {@link org.sbgm.InvalidInputException}: what the user gave is
 * wrong (a file, a configuration value, a shape, NaN). {@link org.sbgm.RunFailedException}: valid input,
 * but a run could not finish (a non-finite training step, a failed ODE or SDE solve). Anything else
 * the library throws is a bug.
 */
package org.sbgm;
