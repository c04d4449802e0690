/**
 * Configuration files as records read with Jackson (YAML, or JSON by extension): the data source
 * ({@link org.sbgm.cli.config.DataSpec}), the forward SDE ({@link org.sbgm.cli.config.SdeSpec}), the
 * network ({@link org.sbgm.cli.config.NetworkSpec}), the parameterisation and the training run
 * ({@link org.sbgm.cli.config.TrainingSpec}). Records fill defaults and check their values in their
 * constructors; {@link org.sbgm.cli.config.ConfigFiles} turns every failure (an unknown key, a value
 * of the wrong type or out of range, an unknown type name, a YAML syntax error) into one sentence that
 * names the key as a dotted path.
 */
package org.sbgm.cli.config;
