/**
 * Model directories: {@code model.yaml} ({@link org.sbgm.cli.model.ModelSpec}: SDE, network,
 * parameterisation, the fitted transform, data shape, condition size, training settings, provenance),
 * {@code weights.pt} (EMA weights) and {@code manifest.sha256} written last; loading checks every file
 * against the manifest before anything is read ({@link org.sbgm.cli.model.ModelDirectory}).
 */
package org.sbgm.cli.model;
