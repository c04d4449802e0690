/**
 * Scores ∇ₓ log p_t(x | condition) and the models that own them.
 *
 * <p>A {@link org.sbgm.score.DiffusionModel} is a score together with the forward SDE it reverses, the
 * one object samplers and likelihoods take. {@link org.sbgm.score.ScoreModel} wraps a network F_θ: with
 * ε-prediction s = −F/σ(t), else s = F; on a {@link org.sbgm.nn.TangentNetwork} it also gives
 * Jacobian-vector products in forward mode ({@link org.sbgm.score.DiffusionModel#scoreWithTangents}): since
 * the factor c(t) does not depend on x, (∂s/∂x) v = c(t) (∂F/∂x) v.
 * {@link org.sbgm.score.GaussianMixtureScore} is the exact model: for data Σ_k w_k N(μ_k, Σ_k) and a kernel
 * p(x_t | x_0) = N(m x_0, σ² I), the marginal is p_t = Σ_k w_k N(m μ_k, m² Σ_k + σ² I), so log p_t and its
 * score are closed-form. Writing Σ_k = U_k Λ_k U_kᵀ, the covariance at any time is U_k (m² Λ_k + σ²) U_kᵀ,
 * so per-sample times need no new factorisation; the component sum is a log-sum-exp and the score is
 * Σ_k r_k(x) · (−(C_k)⁻¹ (x − m μ_k)) with responsibilities r_k.
 *
 * <p>Reverse time ({@link org.sbgm.score.ReverseTime}, Song et al. 2021, arXiv 2011.13456, eqs. 6 and 13):
 * the reverse SDE dx = [f − g² s] dt + g dw̄ and the probability-flow ODE dx/dt = f − ½ g² s, which has the
 * same marginals, as fields for the solvers of {@link org.sbgm.solve}.
 *
 * <p>Decorators extend {@link org.sbgm.score.ForwardingDiffusionModel}, which forwards the score, the SDE and
 * the tangent capability, so wrapping never drops a model onto the slower autograd path;
 * {@link org.sbgm.score.OnDevice} runs a model on another torch device while the solvers keep their state
 * where it is; {@link org.sbgm.score.Guided} is classifier-free guidance (Ho and Salimans 2022, arXiv
 * 2207.12598), s_w(x | c) = (1 + w) s(x | c) − w s(x | ∅) with ∅ the dropped condition (an absent one, for
 * networks trained with condition dropout), its tangents combined the same way.
 */
package org.sbgm.score;
