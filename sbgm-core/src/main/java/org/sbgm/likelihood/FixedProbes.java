package org.sbgm.likelihood;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Hutchinson's estimator with probes drawn once, for a block of {@code rows} states, and used for
 * every evaluation: a batch of M·rows states (M blocks of {@code rows}, block-major) gives state i of every
 * block the probes of row i. An MCMC over a condition π evaluates the same observations x_1..x_N at many π
 * (a batch holds one block of N per chain); with these probes log p̂(x_i | π) is one deterministic function
 * of π for every chain and every step, so the chain has a fixed target (with fresh probes per evaluation it
 * would be a pseudo-marginal chain on a noisy one). See {@link Divergence#fixedProbes}.
 */
final class FixedProbes implements Divergence {
  private final int probes;
  private final long rows;
  private final long dimension;
  private final Tensor block;

  FixedProbes(Hutchinson.Probe probe, int probes, long rows, long dimension, Generator generator) {
    if (probes < 1 || rows < 1 || dimension < 1) {
      throw new InvalidInputException("fixed probes need at least one probe, row and dimension, got " + probes + ", "
          + rows + ", " + dimension);
    }
    if (generator == null) {
      throw new IllegalArgumentException("fixed Hutchinson probes need a Generator to be drawn from");
    }
    this.probes = probes;
    this.rows = rows;
    this.dimension = dimension;
    try (PointerScope scope = new PointerScope()) {
      Tensor like = org.bytedeco.pytorch.global.torch.zeros(new long[] {rows, dimension}, Torch.options(DType.FLOAT64));
      this.block = Hutchinson.draw(probe, probes, like, generator); // [K, rows, D], retained
    }
  }

  @Override
  public Estimator begin(Tensor xFlat, Generator generator) {
    long b = xFlat.size(0);
    if (xFlat.dim() != 2 || xFlat.size(1) != dimension || b % rows != 0) {
      throw new InvalidInputException("fixed probes were drawn for blocks of " + rows + " states of " + dimension
          + " values, but the batch has shape " + Arrays.toString(Torch.shape(xFlat)));
    }
    Tensor stacked;
    try (PointerScope scope = new PointerScope()) {
      Tensor v = block.to(xFlat.device(), xFlat.scalar_type()).unsqueeze(1).expand(probes, b / rows, rows, dimension);
      stacked = Torch.retain(v.reshape(probes, b, dimension).contiguous());
    }
    return Hutchinson.estimator(stacked, probes);
  }

  @Override
  public String toString() {
    return "hutchinson(" + probes + " probes, fixed for blocks of " + rows + ")";
  }
}
