/**
 * The run configuration: records read with Jackson (YAML, or JSON by extension) for the data source
 * ({@link org.sbgm.config.DataSpec}), the forward SDE ({@link org.sbgm.config.SdeSpec}), the network
 * ({@link org.sbgm.config.NetworkSpec}: a built-in network or a TorchScript module,
 * {@link org.sbgm.config.TorchScriptSpec}, each optionally starting from a weight file, {@code init}), the parameterisation and the training run
 * ({@link org.sbgm.config.TrainingSpec}), gathered in {@link org.sbgm.config.RunConfig}. Records fill
 * defaults and check their values in their constructors, and map themselves to the core's objects
 * ({@code toCore()}, {@code create()}); {@link org.sbgm.config.ConfigFiles} checks every key before
 * binding and turns every failure (an unknown key, a value of the wrong type or out of range, an unknown
 * type name, a YAML syntax error) into one {@link org.sbgm.InvalidInputException} sentence that names
 * the file and the key as a dotted path. {@link org.sbgm.config.ConfigFiles#builtIn} gives the shipped
 * demo configuration.
 */
package org.sbgm.config;
