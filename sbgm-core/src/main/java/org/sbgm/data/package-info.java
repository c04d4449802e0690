/**
 * Data: data sets and batching, toy generators with exact densities, readers, and invertible
 * transforms with their log-Jacobians.
 *
 * <p><b>Batching: one mechanism.</b> A {@link org.sbgm.data.Dataset} is indexable (samples with an
 * optional condition per sample: parameters π and/or an image y); {@link org.sbgm.data.TensorDataset}
 * holds one in memory. A {@link org.sbgm.data.DataLoader} visits it epoch by epoch in the order of a
 * permutation π_e drawn from a generator seeded by {@code Seeds.derive(seed, DATA, e)}
 * ({@link org.sbgm.torch.Seeds}); batch j of epoch e is π_e[jB .. jB+B-1], a
 * {@link org.sbgm.data.Batch}. With {@code dropLast} (what the trainer uses:
 * {@link org.sbgm.data.DataLoader#shuffled}) an epoch ends when fewer than B samples remain, so every
 * batch holds B distinct samples and the remainder, a different set each epoch, is skipped; without it
 * the last batch of an epoch is smaller. The {@link org.sbgm.data.DataPosition} (e, offset) fixes every
 * later batch, so a checkpointed run resumes on exactly the same stream.
 *
 * <p><b>Generators with exact densities</b> (each draws from the caller's seeded generator):
 * <ul>
 *   <li>{@link org.sbgm.data.Toy}: FFJORD's eight Gaussians
 *       p(x) = ⅛ Σ_k N(x; 4c_k/1.414, (0.5/1.414)² I), whose {@link org.sbgm.score.GaussianMixture}
 *       description feeds the exact diffused-score oracle p_t = Σ_k w_k N(m μ_k, m² Σ_k + σ² I);
 *       the checkerboard (density 1/32 on its eight squares); two moons and the swiss roll.
 *   <li>{@link org.sbgm.data.GaussianRandomField}: periodic fields with spectrum P(k) = A k^(-B),
 *       x = F⁻¹(√P ⊙ F w), whose exact log-density is
 *       -½ Σ_k |X̂_k|²/P(k) - ½ Σ_k log 2πP(k) with the unitary DFT X̂.
 * </ul>
 *
 * <p><b>Readers</b>: CSV ({@link org.sbgm.data.Csv}), MNIST's IDX ({@link org.sbgm.data.Idx}), PNG
 * folders ({@link org.sbgm.data.ImageFolder}); {@code .npy}/{@code .npz} are in {@link org.sbgm.io}.
 * A malformed file, a wrong shape or a NaN is an {@link org.sbgm.InvalidInputException} whose one
 * sentence names the file and the line/column, index or image at fault;
 * {@link org.sbgm.data.Datasets#requireFinite} names the first NaN/∞.
 *
 * <p><b>Transforms and the change of variables.</b> A {@link org.sbgm.data.Transform} y = T(x)
 * carries log |det ∂T/∂x|, so log p_x(x) = log p_y(T(x)) + log |det ∂T/∂x|. For 8-bit images,
 * {@link org.sbgm.data.UniformDequantize} maps y = (x + u)/128 - 1 with log |det| = -D ln 128, hence
 * bits/dim = -log p_y(y)/(D ln 2) + 7 ({@link org.sbgm.data.BitsPerDim}). Random augmentations
 * such as flips are {@link org.sbgm.data.Augmentation}s, outside the density.
 */
package org.sbgm.data;
