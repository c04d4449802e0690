package org.sbgm.nn;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Embeds times t {@code [B]} as features {@code [B, dim]}.
 *
 * <ul>
 *   <li>Gaussian Fourier features (Tancik et al. 2020, arXiv 2006.10739; Song et al. 2021, arXiv
 *       2011.13456): e(t) = [sin(2π W t), cos(2π W t)] with n = dim/2 frequencies W ~ N(0, scale²) drawn
 *       once from the construction generator and registered as the buffer {@code w}, so that it is saved
 *       with the parameters and never trained.
 *   <li>Sinusoidal (Vaswani et al. 2017; Ho et al. 2020, arXiv 2006.11239): half = dim/2,
 *       f_i = exp(-ln(10⁴) i / half) for i = 0..half-1, a = scale · t · f (scale = 1000 maps t ∈ [0, 1]
 *       onto DDPM's step range), e(t) = [sin a, cos a]. No state.
 * </ul>
 */
public final class TimeEmbedding extends NetworkModule {
  private final TimeEmbeddingConfig config;
  private final Tensor frequencies;

  /** Builds the embedding; a Fourier embedding draws W from {@code g}. */
  public TimeEmbedding(TimeEmbeddingConfig config, Generator g) {
    this.config = config;
    if (config.kind() == TimeEmbeddingConfig.Kind.FOURIER) {
      Tensor w = Torch.randn(new long[] {config.dim() / 2}, g, Torch.options(org.sbgm.torch.DType.FLOAT32))
          .mul(Torch.scalar(config.scale()));
      this.frequencies = buffer("w", w);
    } else {
      this.frequencies = null;
    }
  }

  /** Builds the embedding with W drawn from a generator seeded with {@code seed}. */
  public static TimeEmbedding create(TimeEmbeddingConfig config, long seed) {
    return new TimeEmbedding(config, Torch.generator(seed));
  }

  /** The configuration. */
  public TimeEmbeddingConfig config() {
    return config;
  }

  /** The number of output features. */
  public int dim() {
    return config.dim();
  }

  /** e(t), {@code [B, dim]}, in the dtype and on the device of t. */
  public Tensor forward(Tensor t) {
    if (t.dim() != 1) {
      throw new InvalidInputException("time embedding expects t of shape [B], got " + java.util.Arrays.toString(Torch.shape(t)));
    }
    Tensor a;
    if (frequencies != null) {
      Tensor w = frequencies.to(t.scalar_type());
      a = t.unsqueeze(1).mul(w.unsqueeze(0)).mul(Torch.scalar(2 * Math.PI));
    } else {
      long half = config.dim() / 2;
      Tensor i = torch.arange(Torch.scalar(half), t.options());
      Tensor f = torch.exp(i.mul(Torch.scalar(-Math.log(10000.0) / half)));
      a = t.unsqueeze(1).mul(Torch.scalar(config.scale())).mul(f.unsqueeze(0));
    }
    return torch.cat(new TensorVector(a.sin(), a.cos()), 1);
  }
}
