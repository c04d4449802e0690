/**
 * A model's life as library API: train it from a configuration into a directory, load it, use it.
 *
 * <ul>
 *   <li>{@link org.sbgm.model.Training}: a {@link org.sbgm.config.RunConfig} (or a config file) to a model
 *       directory: {@link org.sbgm.model.DataSources} reads or generates the data,
 *       {@link org.sbgm.model.PreparedData} splits it and fits the transform on the training part, the
 *       network is built and tried on two samples, the {@link org.sbgm.train.Trainer} runs (checkpoints and
 *       {@link org.sbgm.model.Metrics} into the directory), and the directory is sealed.
 *   <li>{@link org.sbgm.model.ModelDirectory}: {@code model.yaml} ({@link org.sbgm.model.ModelSpec}: SDE,
 *       network, parameterisation, the fitted {@link org.sbgm.model.TransformSpec}, data shape, condition
 *       size, training settings, {@link org.sbgm.model.Provenance}), {@code weights.pt} (EMA weights),
 *       {@code checkpoint.pt}, {@code metrics.csv} and {@code manifest.sha256}, written last; loading checks
 *       every file against the manifest before anything is read.
 *   <li>{@link org.sbgm.model.DirectoryLock}: the lock a run holds on its model directory (the operating
 *       system's file lock on {@code .sbgm.lock}, which records the holder), so a second run is refused
 *       ({@link org.sbgm.model.DirectoryLockedException}) and a killed run's lock is taken over. Training
 *       checks every input (configuration, data, network, the checkpoint to resume) before it locks and
 *       writes anything, and removes the temporary files a killed writer left.
 *   <li>{@link org.sbgm.model.Model}: a loaded model (or the exact Gaussian-mixture oracle) that samples
 *       ({@link org.sbgm.model.SamplerSpec} or any {@link org.sbgm.sample.Sampler}) and evaluates
 *       log p(x) ({@link org.sbgm.model.LikelihoodSpec}) in data units: for y = T(x),
 *       log p_x(x) = log p_y(y) + log |det ∂T/∂x|, and bits/dim = -log p_x / (D ln 2) for 8-bit images
 *       (which includes the + 7 of the [-1, 1] scaling).
 *   <li>{@link org.sbgm.model.Export}: a model's EMA weights for Python: safetensors or {@code .npz} named as
 *       the PyTorch module of the same architecture names them, or a TorchScript network's module with its
 *       trained weights; they load back through {@code network.init}. A TorchScript network's module is kept
 *       in the model directory as {@code network.pt} (named relatively in {@code model.yaml} with its SHA-256).
 *   <li>Conditions: {@link org.sbgm.model.DataSources} reads π and an image condition y from the data's .npz or
 *       their own files ({@link org.sbgm.model.ConditionFiles}); {@link org.sbgm.model.PreparedData} fits π's
 *       standardisation and y's transform on the training part; {@link org.sbgm.model.ModelCondition} applies
 *       them to every condition given later ({@link org.sbgm.model.Model#condition},
 *       {@link org.sbgm.model.Model#conditions}), one row for all samples or one per sample.
 *       {@link org.sbgm.model.Model#guided} adds classifier-free guidance to a model trained with condition dropout.
 *   <li>Inference: {@link org.sbgm.model.Model#conditionalDensity} is the model as (x, π) ↦ log p(x | π) in the
 *       user's units for {@link org.sbgm.inference}; {@link org.sbgm.model.Model#exactLikelihood} the exact one where
 *       it is known (the conditional oracle, Gaussian random fields).
 * </ul>
 * Every error a user can cause is an {@link org.sbgm.InvalidInputException} naming the file, key or value.
 */
package org.sbgm.model;
