/**
 * The benchmark workloads behind {@code sbgm bench} (callable from Java: {@link org.sbgm.bench.BenchSuite#run}): the workloads of the PyTorch reference ({@code shared/peer/reference.py}) run with
 * this library's own classes ({@code Trainer} steps, the {@code ProbabilityFlow} sampler, {@code
 * LogLikelihood}), timed as the reference times them (warm-up runs, then the median of the timed runs),
 * and printed in its line format {@code NAME <tab> ms <tab> params=N <tab> note} so that the two outputs
 * can be compared line by line ({@code bench/compare.sh}).
 *
 * <p>Workloads: one denoising-score-matching step (VP SDE, ε-prediction, AdamW) of the 2-D MLP at batch
 * 256 and 4096 and of the 1×28×28 U-Net at batch 64; 4096 probability-flow samples by RK4 with 50 steps;
 * log-likelihoods of 4096 points through the augmented ODE (RK4 × 50) with Hutchinson's estimator (one
 * Rademacher probe) or the exact divergence. The calibration {@code sgemm-2048} times a 2048×2048
 * float32 matrix product (2n³ FLOPs) so that the U-Net step's FLOP rate, counted analytically by
 * {@link org.sbgm.bench.UNetFlops}, can be read as a fraction of the machine's sgemm rate.
 */
package org.sbgm.bench;
