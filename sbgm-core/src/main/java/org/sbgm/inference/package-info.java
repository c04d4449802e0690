/**
 * Inference over the condition π of a conditional diffusion model: posteriors p(π | x_obs) ∝ p(x_obs | π) π(π)
 * (simulation-based inference "the likelihood way": a model of p(x | π), field-level inference).
 *
 * <h2>The likelihood</h2>
 * {@link org.sbgm.inference.ConditionalDensity} is the model as a density, (x, π) ↦ log p(x | π) in data
 * units: log p_model(T(x) | M(π)) + log |det ∂T/∂x| through the probability-flow ODE (Song et al. 2021, arXiv
 * 2011.13456, Appendix D.2), with its gradient ∂ log p/∂π by autograd through the solve, for samplers of
 * one's own. {@link org.sbgm.inference.ConditionalDensity#given} fixes the data to observations x_1..x_N
 * (i.i.d.) and gives L(π) = Σ_i log p(x_i | π) ({@link org.sbgm.inference.ObservedLikelihood}): M values of π
 * are evaluated in one batched solve of M·N states; Hutchinson probes (for large x) are drawn once per
 * observation and shared by every π and every call, so L is a deterministic function of π and an MCMC has a
 * fixed target (fresh probes per evaluation would make the chain a pseudo-marginal one on a noisier target).
 * With the exact divergence L is deterministic anyway. Any closed-form likelihood
 * ({@link org.sbgm.inference.LikelihoodFunction}) plugs in the same way; the exact conditional oracle
 * {@link org.sbgm.score.ConditionalGaussianMixtureScore} has one.
 *
 * <h2>Priors and posteriors</h2>
 * {@link org.sbgm.inference.Prior}: {@link org.sbgm.inference.UniformPrior}, {@link org.sbgm.inference.NormalPrior}
 * (parsed from {@code uniform:LO,HI,...} / {@code normal:MU,SD,...}). {@link org.sbgm.inference.Posterior} adds
 * log π(θ) and evaluates the likelihood only inside the prior's support.
 * <ul>
 *   <li>{@link org.sbgm.inference.GridPosterior} (P ≤ 2): the normalised posterior on K^P cell centres
 *       (midpoint rule), its moments, marginals and the evidence.
 *   <li>{@link org.sbgm.inference.EnsembleSampler}: the affine-invariant ensemble sampler with the stretch
 *       move (Goodman and Weare 2010; Foreman-Mackey et al. 2013, arXiv 1202.3665, Algorithm 3): each half of
 *       the walkers moves against the other in one batched evaluation.
 *   <li>{@link org.sbgm.inference.ChainDiagnostics}: split R̂ and the effective sample size (Gelman et al.,
 *       BDA3 §11.4–11.5, Geyer's initial monotone sequence), reported by
 *       {@link org.sbgm.inference.McmcResult}.
 * </ul>
 * The other way, posterior estimation (a model of p(θ | x) trained with θ as data and x as the condition),
 * needs nothing here: sampling and likelihoods of that model are the posterior's.
 */
package org.sbgm.inference;
