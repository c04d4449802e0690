/**
 * The {@code sbgm} command: {@code demo}, {@code train}, {@code sample}, {@code loglik} (and
 * {@code bench}).
 *
 * <p>{@code train} fits s_θ(x, t | π) by denoising score matching under a forward SDE with
 * p(x_t | x_0) = N(m(t) x_0, σ(t)² I) (Song et al. 2021, arXiv 2011.13456) on data mapped to model
 * units y = T(x) by a fitted transform, and writes a verified model directory. {@code sample} draws
 * y from the reverse SDE (Euler–Maruyama, predictor–corrector) or the probability-flow ODE and returns
 * x = T⁻¹(y). {@code loglik} integrates the augmented ODE d(y, Δ)/dt = (f̃, ∇·f̃) from ε to T and reports
 * log p_x(x) = log p_T(y_T) + Δ(T) + log |det ∂T/∂x| in nats, and for 8-bit images
 * -log p_x / (D ln 2) bits per dimension. With {@code --oracle} the score and p_T are those of a
 * Gaussian mixture, exactly, so the solver's error can be measured against the exact log p_ε.
 *
 * <p>Errors in the user's input are one-sentence {@link org.sbgm.cli.UserError}s (exit 2); every output
 * file is written atomically after all inputs were checked.
 */
package org.sbgm.cli;
