/**
 * ODE and SDE integration over batched libtorch tensors (a state of any shape [B, ...], float32 or
 * float64), in the style of diffrax: the field, the {@link org.sbgm.solve.Solver}, the
 * {@link org.sbgm.solve.StepSizeController}, the {@link org.sbgm.solve.SaveAt} and the
 * {@link org.sbgm.solve.BrownianMotion} never reference each other and meet only in the one loop,
 * {@link org.sbgm.solve.Integrator#solve}.
 *
 * <h2>One step abstraction, one loop</h2>
 * A {@link org.sbgm.solve.Solver} maps (t0, t1, y) to a candidate {@link org.sbgm.solve.Step}: the state,
 * an error estimate (null for fixed-step methods), reusable first/last stages (FSAL) and the number of
 * field evaluations spent. Everything else exists once, in the loop: the first-step choice, step
 * shortening onto save times and t1, accepting or rejecting, NFE counting, the finiteness check (one
 * {@link org.sbgm.solve.IntegrationException} naming t and NFE), max steps, saving, observers, the
 * Brownian increments of stochastic solvers and the pointer-scope bookkeeping.
 *
 * <h2>Explicit Runge–Kutta methods</h2>
 * A {@link org.sbgm.solve.ButcherTableau} (c, a, b, b − b̂) defines one step of size h = t1 − t0 from (t0, y):
 * <pre>
 *   k_i = F(t0 + c_i h, y + h Σ_{j&lt;i} a_ij k_j),   y₁ = y + h Σ_i b_i k_i,   e = h Σ_i (b_i − b̂_i) k_i.
 * </pre>
 * Consistency requires Σ_j a_ij = c_i and Σ b_i = 1; an embedded pair needs Σ (b_i − b̂_i) = 0. A method
 * of order p has local error O(h^{p+1}) and global error O(h^p); the error estimate e of a p(p̂) pair
 * is O(h^{min(p,p̂)+1}). Provided: Euler (1), Heun (2, with Euler embedded), Midpoint (2), RK4 (4),
 * Bogacki–Shampine 3(2), Dormand–Prince 5(4) and Tsitouras 5(4); the last three are FSAL: their last
 * stage F(t + h, y₁) is the next step's first, so a step costs s − 1 evaluations.
 *
 * <h2>Step-size control</h2>
 * {@link org.sbgm.solve.ConstantStep} walks the grid t0 + k h; {@link org.sbgm.solve.StepTo} steps onto the
 * points of any strictly monotone grid exactly (a sampler's time grid). {@link org.sbgm.solve.PidController}
 * measures the step by the batched scaled norm
 * <pre>
 *   ε = max_b sqrt( mean_i ( e_bi / (atol + rtol · max(|y_bi|, |y₁_bi|)) )² ),
 * </pre>
 * accepts when ε ≤ 1, and sets h_new = h · clip(safety · ε_n^{−β₁} ε_{n−1}^{−β₂} ε_{n−2}^{−β₃}, fmin, fmax)
 * with k = min(p, p̂) + 1, β₁ = (P + I + D)/k, β₂ = −(P + 2D)/k, β₃ = D/k (Söderlind 2003; the default
 * P = D = 0, I = 1 is the classical h · safety · ε^{−1/k}). The first step comes from Hairer's
 * algorithm (Hairer, Nørsett, Wanner, <i>Solving ODEs I</i>, II.4) unless given.
 *
 * <h2>Saving and direction</h2>
 * Steps are shortened to land exactly on save times and on t1 (no interpolation); a stochastic step is
 * never split, so a stochastic solve saves only at its grid times. With t1 &lt; t0 the solver takes
 * negative steps: the same formulas integrate backwards in time.
 *
 * <h2>SDEs</h2>
 * A {@link org.sbgm.solve.StochasticField} is dy = f(t, y) dt + g(t, y) dW with diagonal noise (its drift f
 * is the {@link org.sbgm.solve.VectorField} part). The loop draws the Brownian increments ΔW = √|h| z,
 * z ~ N(0, I), from the caller's generator, in the order the step asks for them
 * ({@link org.sbgm.solve.StepNoise}); optionally the step that reaches t1 gets none and returns its mean,
 * as diffusion-model samplers do. {@link org.sbgm.solve.EulerMaruyama}: y₁ = y + f h + g ΔW (Itô; strong
 * order 1/2, weak order 1). {@link org.sbgm.solve.StochasticHeun}: ỹ = y + f h + g ΔW,
 * y₁ = y + ½(f + f(t1, ỹ)) h + ½(g + g(t1, ỹ)) ΔW (Stratonovich; for additive noise g(t) it coincides
 * with Itô and has strong order 1).
 *
 * <h2>Correctors</h2>
 * A {@link org.sbgm.solve.LangevinField} adds the score s = ∇ log p_t and the forward mean coefficient
 * m(t). The {@link org.sbgm.solve.LangevinCorrector} is a step that stays at t0: x ← x + ε s + √(2ε) z
 * with ε = 2α (r ‖z‖/‖s‖)² (batch means of per-sample norms) and α = m(t0)²/m(t1)² (Song et al. 2021,
 * arXiv 2011.13456, Algorithms 4 and 5). A {@link org.sbgm.solve.CorrectedSolver} runs n corrector moves
 * then a predictor step, so predictor–corrector sampling goes through the same loop.
 *
 * <h2>Diffusion solvers in the data prediction</h2>
 * A {@link org.sbgm.solve.DenoiserField} adds σ(t) to a {@link org.sbgm.solve.LangevinField}, hence the data
 * prediction x̂₀ = (y + σ² s)/m and λ = ln(m/σ). {@link org.sbgm.solve.Ddim} (DDIM, any η ∈ [0, 1]),
 * {@link org.sbgm.solve.EdmHeun} (Heun in x/m and σ/m, optional churn) and
 * {@link org.sbgm.solve.DpmSolverPlusPlus} (the second-order multistep DPM-Solver++(2M), optional η) are
 * steps for such a field; the mathematics is in {@code org.sbgm.sample}. A multistep method keeps its
 * history in the object {@link org.sbgm.solve.Solver#begin} returns (the loop calls it once per
 * integration and {@link org.sbgm.solve.Solver#end} at the end, also after an exception); it has no error
 * estimate, so only fixed-step controllers, which accept every step, drive it.
 *
 * <h2>Memory</h2>
 * Every step runs inside a JavaCPP {@code PointerScope}; only the carried state (and FSAL stage) is
 * retained across steps, so native memory stays flat. Results are handed to the scope open around
 * the call, or owned by the caller when there is none.
 */
package org.sbgm.solve;
