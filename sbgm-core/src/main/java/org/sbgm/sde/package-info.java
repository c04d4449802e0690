/**
 * Forward diffusion SDEs dx = f(x, t) dt + g(t) dw on [0, T] with Gaussian transition kernels
 * p(x_t | x_0) = N(m(t) x_0, σ(t)² I) (Song et al. 2021, "Score-Based Generative Modeling through
 * Stochastic Differential Equations", arXiv:2011.13456).
 *
 * <p>With B(t) = ∫₀ᵗ β(s) ds ({@link org.sbgm.sde.BetaSchedule}; default β linear 0.1 → 20, T = 1):
 * <ul>
 *   <li>{@link org.sbgm.sde.VpSde}: f = -½β x, g = √β, m = e^{-B/2}, σ² = 1 - e^{-B}; prior N(0, I).
 *   <li>{@link org.sbgm.sde.SubVpSde}: f = -½β x, g² = β (1 - e^{-2B}), m = e^{-B/2},
 *       <b>σ = 1 - e^{-B}</b> (σ² = (1 - e^{-B})²); prior N(0, I).
 *   <li>{@link org.sbgm.sde.VeSde}: with σ_v(t) ({@link org.sbgm.sde.SigmaSchedule}; default geometric
 *       σ_v = σ_min (σ_max/σ_min)^{t/T}, σ_min = 0.01, σ_max = 50): f = 0, g² = dσ_v²/dt = 2σ_vσ_v'
 *       (= σ_v² · 2 ln(σ_max/σ_min)/T when geometric), m = 1, σ² = σ_v(t)² - σ_v(0)²; prior N(0, σ_v(T)² I).
 * </ul>
 * Every SDE satisfies f(x, t) = (d ln m/dt) x and g² = dσ²/dt - 2 (d ln m/dt) σ², the two identities
 * that make its kernel the stated Gaussian; the tests check both by finite differences.
 *
 * <p>{@link org.sbgm.sde.Sdes#parse} is the one parser of SDE names ({@link org.sbgm.sde.Sdes#NAMES}). This
 * package depends on no score: the reverse-time dynamics, which need one, are
 * {@code org.sbgm.score.ReverseTime}.
 *
 * <p>Numerics: 1 - e^{-B} is computed as -expm1(-B) and the geometric σ_v² - σ_min² as
 * σ_min² expm1(2t ln(σ_max/σ_min)/T), so σ(t) is accurate for small t. Tensor forms compute in the
 * dtype of {@code t} (drifts in the dtype of {@code x}); prior log-densities are summed in float64.
 * User schedules are checked on [0, T] when an SDE is built (finite, non-negative rate, matching
 * integral/derivative by quadrature).
 */
package org.sbgm.sde;
