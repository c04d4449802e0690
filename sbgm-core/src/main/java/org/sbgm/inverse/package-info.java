/**
 * Linear inverse problems with a diffusion-model prior: y = A x + σ_y n, n ~ N(0, I), and samplers of the
 * posterior p(x | y) ∝ p(y | x) p(x) that use only the prior's score.
 *
 * <h2>Operators</h2>
 * {@link org.sbgm.inverse.ForwardOperator}: A and its adjoint Aᵀ on batches, shapes checked, the dense
 * matrix on demand. {@link org.sbgm.inverse.Mask} (inpainting, a 0/1 mask), {@link org.sbgm.inverse.GaussianBlur}
 * (deblurring: zero-padded convolution with a normalised Gaussian, symmetric), {@link org.sbgm.inverse.Downsample}
 * (super-resolution: k × k average pooling), {@link org.sbgm.inverse.DenseMatrix} (on the flattened signal),
 * {@link org.sbgm.inverse.ScaledInput} (A ∘ diag(d): a data-unit problem in a model's units);
 * {@link org.sbgm.inverse.ForwardOperators#parse} reads {@code mask:FILE|blur:SIGMA|downsample:K|matrix:FILE}.
 *
 * <h2>The exact posterior</h2>
 * For a Gaussian-mixture prior Σ_k w_k N(μ_k, Σ_k), {@link org.sbgm.inverse.GaussianMixturePosterior}:
 * weights ∝ w_k N(y; A μ_k, A Σ_k Aᵀ + σ_y² I), means μ_k + K_k (y − A μ_k), covariances Σ_k − K_k A Σ_k,
 * K_k = Σ_k Aᵀ (A Σ_k Aᵀ + σ_y² I)⁻¹. It samples and gives the mean and covariance; every method is
 * measured against it.
 *
 * <h2>Posterior samplers</h2>
 * One signature, {@link org.sbgm.inverse.PosteriorSampler#sample}:
 * <ul>
 *   <li>{@link org.sbgm.inverse.Dps} — DPS (Chung et al. 2023, arXiv 2209.14687, Algorithm 1): ancestral
 *       steps, each followed by x ← x − ζ ∇_x ‖y − A x̂₀(x)‖;
 *   <li>{@link org.sbgm.inverse.GuidedPosterior#mmps} — MMPS (Rozet et al. 2024, arXiv 2405.13712): the score of
 *       p̂(y | x_t) = N(y; A x̂₀, σ_y² I + A V Aᵀ) with V = (σ²/m) ∂x̂₀/∂x_t the exact Tweedie covariance, the
 *       system solved by conjugate gradients over vector-Jacobian products; exact for a Gaussian prior;
 *   <li>{@link org.sbgm.inverse.GuidedPosterior#piGdm} — ΠGDM (Song et al. 2023, ICLR): the same with V = r_t² I,
 *       r_t² = σ̃²/(1 + σ̃²);
 *   <li>{@link org.sbgm.inverse.Replacement} — replacement inpainting (score_sde) with RePaint's
 *       resampling (Lugmayr et al. 2022, arXiv 2201.09865), masks only.
 * </ul>
 * MMPS and ΠGDM are a decorator of the prior ({@link org.sbgm.inverse.LikelihoodGuidance}, the posterior
 * score; no forward-mode tangents) under any fixed-step sampler; DPS and replacement are steps run by a
 * sampler's {@link org.sbgm.sample.GridSampler#sampleWith}, so every method goes through the one loop.
 * Measured accuracy (tests, and {@code docs/inverse-problems.md}): on a 16-D Gaussian prior with the exact
 * score MMPS reaches the Monte-Carlo floor of 1000 samples (mean error 0.03 posterior standard deviations
 * against a floor of 0.02); DPS, ΠGDM and replacement carry biases of 0.1–0.3; a wrong operator is
 * several times further off.
 */
package org.sbgm.inverse;
