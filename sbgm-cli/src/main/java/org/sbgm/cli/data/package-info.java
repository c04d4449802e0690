/**
 * Training data for the CLI: reading or generating samples ({@link org.sbgm.cli.data.DataSources}),
 * a seeded split into training and validation samples, and a transform y = T(x) fitted on the
 * training samples only ({@link org.sbgm.cli.data.PreparedData}): per-feature standardisation
 * y = (x - μ)/s with log |det ∂T/∂x| = -Σ log s_c, or, for 256-level images, y = (x + u)/128 - 1 with
 * u ~ U[0, 1)^D (log |det| = -D ln 128).
 */
package org.sbgm.cli.data;
