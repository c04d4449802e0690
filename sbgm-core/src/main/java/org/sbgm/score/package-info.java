/**
 * Scores ∇ₓ log p_t(x | condition).
 *
 * <p>{@link org.sbgm.score.ScoreModel} wraps a network F_θ: with ε-prediction s = -F/σ(t), else s = F.
 * On a {@link org.sbgm.nn.TangentNetwork} it is a {@link org.sbgm.score.TangentScoreFunction}: since the
 * factor c(t) does not depend on x, (∂s/∂x) v = c(t) (∂F/∂x) v comes from the network's forward mode.
 * {@link org.sbgm.score.GaussianMixtureScore} is the exact oracle: for data Σ_k w_k N(μ_k, Σ_k) and a
 * kernel p(x_t | x_0) = N(m x_0, σ² I), the marginal is p_t = Σ_k w_k N(m μ_k, m² Σ_k + σ² I), so
 * log p_t and its score are closed-form. Writing Σ_k = U_k Λ_k U_kᵀ, the covariance at any time is
 * U_k (m² Λ_k + σ²) U_kᵀ, so per-sample times need no new factorisation; the component sum is a
 * log-sum-exp and the score is Σ_k r_k(x) · (-(C_k)⁻¹ (x - m μ_k)) with responsibilities r_k.
 */
package org.sbgm.score;
