/**
 * Training score models by denoising score matching.
 *
 * <h2>Loss ({@link org.sbgm.train.DsmLoss})</h2>
 * For a forward SDE with transition kernel p(x_t | x₀) = N(m(t) x₀, σ(t)² I), the score network
 * s_θ is fitted by (Vincent 2011; Song et al. 2021, arXiv 2011.13456, Eq. 7)
 * <pre>
 *   L(θ) = E_{t~U[ε,T]} λ(t) E_{x₀~data, z~N(0,I)} ||s_θ(m x₀ + σ z, t) + z/σ||² / D,
 * </pre>
 * the mean over the batch and the D dimensions of a sample. It is evaluated as (λ/σ²)·mean_d r² with
 * the residual r = σ s_θ + z; for ε-prediction (s_θ = -ε̂/σ) r = z - ε̂ exactly, with no division by σ.
 * Its minimiser is the score of p_t for every t where λ &gt; 0.
 *
 * <h2>Weightings ({@link org.sbgm.train.Weighting})</h2>
 * <ul>
 *   <li>λ = σ² (default): L = E ||ε̂ - z||²/D, the "simple" ε-prediction loss.</li>
 *   <li>λ = g² (likelihood weighting, Song, Durkan et al. 2021, arXiv 2101.09258): the objective
 *       bounds the negative log-likelihood. g²/σ² behaves like 1/t near 0, so uniform t gives a
 *       high-variance estimator; instead t is importance-sampled from p̂(t) ∝ g²/σ² on [ε, T]
 *       ({@link org.sbgm.train.ImportanceTimeDensity}: a piecewise-constant density on a grid uniform
 *       in log t, inverted exactly) and each sample is weighted by (g²/σ²)/((T-ε) p̂(t)), which keeps the
 *       estimate unbiased for the uniformly-weighted objective whatever the grid.</li>
 *   <li>Any user λ(t), with uniform or importance-sampled times.</li>
 * </ul>
 *
 * <h2>Times ({@link org.sbgm.train.TimeSampler})</h2>
 * t ∈ [ε, T], ε = 10⁻⁵ by default; independent uniform, or stratified ("low-discrepancy", Kingma et
 * al. 2021, arXiv 2107.00630): u_i = (u + i/B) mod 1, one draw per stratum of [0, 1).
 *
 * <h2>Optimisation ({@link org.sbgm.train.Trainer})</h2>
 * AdamW (Loshchilov and Hutter, arXiv 1711.05101) with learning rate lr·min(1, k/warm-up) at step k;
 * global gradient-norm clipping g ← g·min(1, c/(||g|| + 10⁻⁶)); an exponential moving average of the
 * weights θ̄ ← d θ̄ + (1 - d) θ, d = min(rate, (1+n)/(10+n)) ({@link org.sbgm.train.Ema}), used for
 * validation and in the result. A non-finite loss or gradient norm stops the run with a
 * {@link org.sbgm.train.TrainingException} naming the step, before the weights change.
 *
 * <h2>Batches</h2>
 * The trainer batches through {@link org.sbgm.data.DataLoader#shuffled} over an
 * {@link org.sbgm.data.Dataset} (training and validation sets, with their optional parameter and image
 * conditions): epoch e visits the samples in a permutation drawn from (seed, e); every step takes the
 * next B of them, and the fewer than B left at the end of an epoch are skipped (a different set each
 * epoch). Every step therefore sees B distinct samples, batchSize may not exceed the training set, and
 * the data position is (epoch, offset).
 *
 * <h2>The pieces of a run</h2>
 * <ul>
 *   <li>{@link org.sbgm.train.Trainer}: the loop (steps, the validation and checkpoint schedule,
 *       listeners) and its public surface: construct, {@code checkpointTo}, {@code addListener},
 *       {@code resume}, {@code train}, {@code trainUntil}.</li>
 *   <li>{@link org.sbgm.train.TrainingState}: everything a checkpoint saves (weights and buffers, EMA
 *       shadows, AdamW state, step, data position, and every generator: times, noise, libtorch's
 *       default CPU generator and the network's own, {@link org.sbgm.nn.Network#generators()}).</li>
 *   <li>{@link org.sbgm.train.Validation}: the mean per-sample loss on held-out data with the EMA
 *       weights, the network in eval mode, and times and noise drawn once from the seed.</li>
 *   <li>{@link org.sbgm.train.CheckpointSchema}: the names and version of what a checkpoint holds
 *       (format {@code sbgm-train}, version 2; other versions are refused with a message naming the file).</li>
 *   <li>{@link org.sbgm.train.Checkpoint}: the verified container (metadata, tensors, optimiser state).</li>
 * </ul>
 *
 * <h2>Reproducibility and checkpoints</h2>
 * Every draw comes from a generator seeded by {@link org.sbgm.torch.Seeds} from the run's seed (batch
 * order, times, noise, validation draws) or, for dropout, from the network's construction seed. A
 * checkpoint holds the whole {@link org.sbgm.train.TrainingState} and the configuration; it is written
 * by {@link org.sbgm.io.AtomicFiles} (temporary file, fsync, rename; the replaced file kept as
 * {@code checkpoint.prev.pt}) with a SHA-256 checksum that is verified before anything is read. A
 * corrupt file is refused with a {@link org.sbgm.train.CorruptCheckpointException}, one that does not
 * fit the trainer (configuration, data size, tensors, generators) with an
 * {@link org.sbgm.InvalidInputException}, both naming the file, and nothing is loaded. Resuming a fresh
 * trainer from a checkpoint continues the run bit for bit (on one intra-op thread), with or without
 * dropout and condition dropout.
 */
package org.sbgm.train;
