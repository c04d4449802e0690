/**
 * Exact log-likelihoods through the probability-flow ODE (Song et al. 2021, arXiv 2011.13456, App. D.2;
 * the instantaneous change of variables of Chen et al. 2018, arXiv 1806.07366).
 *
 * <p>With F = f - ½ g² s, integrate dx/dt = F and dΔ/dt = ∇·F from ε to T:
 * log p_ε(x) = log p_T(x(T)) + Δ(T). ∇·F is exact (D vector-Jacobian products) or Hutchinson's
 * E[vᵀ (∂F/∂x) v] with Rademacher or Gaussian probes, fixed along the path ({@link org.sbgm.likelihood.Divergence#parse}
 * is the one parser of their names). The model is a {@link org.sbgm.score.DiffusionModel}: its own SDE gives
 * f, g, T and the prior. For a model that gives Jacobian-vector products in forward mode
 * ({@link org.sbgm.score.DiffusionModel#supportsTangents()}, kept by every decorator), f is linear in x
 * (Gaussian kernels), so (∂F/∂x) v = f(v, t) - ½ g² (∂s/∂x) v, and the D basis tangents or the probes go
 * through the network with F in one pass, without an autograd graph; any other model uses autograd. The
 * augmented ODE is integrated by the one loop, {@link org.sbgm.solve.Integrator}. For data y = T(x) seen by
 * the model, log p_x(x) = log p_y(y) + log|det ∂T/∂x|; for 256-level images scaled to [-1, 1] after
 * uniform dequantisation this gives bits/dim = -log p_y/(D ln 2) + 7.
 */
package org.sbgm.likelihood;
