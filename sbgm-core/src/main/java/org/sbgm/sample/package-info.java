/**
 * Samplers: from x_T ~ p_T back to ε for a {@link org.sbgm.score.DiffusionModel} (a score and the forward
 * SDE it owns), all on one signature, {@link org.sbgm.sample.Sampler#sample}; the time grid is separate
 * ({@link org.sbgm.sample.TimeGrid}: uniform in t, quadratic towards ε, uniform in log-SNR, Karras ρ).
 *
 * <p>Along the reverse-time SDE dx = [f − g² s] dt + g dw̄ (Song et al. 2021, arXiv 2011.13456, eq. 6):
 * {@link org.sbgm.sample.EulerMaruyama} (one score evaluation per step), {@link org.sbgm.sample.StochasticHeun}
 * (two; strong order 1 since the noise is additive) and {@link org.sbgm.sample.PredictorCorrector} (Langevin
 * corrector moves x ← x + ε s + √(2ε) z before each Euler–Maruyama step; Algorithms 1, 4 and 5 of the same
 * paper). Along the probability-flow ODE dx/dt = f − ½ g² s (eq. 13): {@link org.sbgm.sample.ProbabilityFlow}
 * with any Runge–Kutta solver and step-size controller.
 *
 * <h2>Few-step samplers: the denoiser view</h2>
 * With the kernel N(m x₀, σ² I), Tweedie's formula gives the data prediction x̂₀ = (x + σ² s)/m and the
 * half log-SNR λ = ln(m/σ) orders the times; for an SDE whose diffusion matches its kernel,
 * g² = dσ²/dt − 2 (d ln m/dt) σ² (VP, sub-VP and VE; {@link org.sbgm.sample.NoiseSchedule} checks it and
 * refuses another SDE in one sentence), the probability-flow ODE is
 * dx/dt = (d ln m/dt) x + (d ln σ̃/dt)(x − m x̂₀), σ̃ = σ/m, written in (m, σ, x̂₀) alone, and
 * <ul>
 *   <li>{@link org.sbgm.sample.Ddim} (Song, Meng and Ermon 2021, arXiv 2010.02502, eq. 12):
 *       x₁ = m₁ x̂₀ + √(σ₁² − c²) ε̂ + c z, c = η σ₁ √(1 − e^{−2h}), h = λ₁ − λ₀; η = 0 is the first-order
 *       exponential integrator of the ODE, η = 1 the ancestral (DDPM) step. Default grid uniform in t.
 *   <li>{@link org.sbgm.sample.EdmHeun} (Karras et al. 2022, arXiv 2206.00364, Algorithms 1 and 2): Heun's
 *       method on du/dσ̃ = (u − D(u; σ̃))/σ̃ in u = x/m, σ̃ = σ/m, with churn (S_churn, S_tmin, S_tmax,
 *       S_noise). Default grid Karras ρ = 7 in σ̃ from σ̃(T) to σ̃(ε).
 *   <li>{@link org.sbgm.sample.DpmSolverPlusPlus} (Lu et al. 2022, arXiv 2211.01095, Algorithm 2): the
 *       second-order multistep x_{i+1} = (σ_{i+1}/σ_i) x_i + m_{i+1}(1 − e^{−h}) (D_i + (D_i − D_{i−1})/(2r_i)),
 *       and with η &gt; 0 its SDE variant. Default grid uniform in log-SNR.
 * </ul>
 * Measured (tests): the median endpoint error against the exact flow falls with slopes 1.00 (DDIM), 2.05
 * (EDM Heun) and 2.05 (DPM-Solver++(2M)) in the step size, on VP, sub-VP and VE; at 20 evaluations
 * DPM-Solver++(2M) is 75× (VP) and 47× (VE) closer to the exact endpoints than RK4 on the anisotropic 16-D
 * mixture. {@code docs/fast-sampling.md} has the full tables.
 *
 * <h2>One loop</h2>
 * Each sampler is a choice of {@link org.sbgm.solve.Solver} for the reverse dynamics of
 * {@link org.sbgm.score.ReverseTime} (a {@link org.sbgm.solve.DenoiserField}), integrated by the one loop
 * {@link org.sbgm.solve.Integrator} on the grid with {@link org.sbgm.solve.StepTo}, without autograd; the
 * stochastic ones take their noise from the loop's Brownian increments (the last step returns its mean,
 * except EDM's churn, which comes at the start of a step). DPM-Solver++(2M)'s history (the previous data
 * prediction and log-SNR step) lives in the per-integration solver that
 * {@link org.sbgm.solve.Solver#begin} returns. {@link org.sbgm.sample.GridSampler#sampleWith} runs another
 * step on a sampler's grid (the posterior samplers of {@code org.sbgm.inverse} do).
 *
 * <p>Each is tested against the exact Gaussian-mixture model: moments within Monte-Carlo error and a
 * kernel two-sample test, which a wrong score fails.
 */
package org.sbgm.sample;
