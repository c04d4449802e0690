package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A diffusion transformer (DiT; Peebles and Xie 2023, arXiv 2212.09748) for images x {@code [B, C, H, W]}:
 *
 * <pre>
 *   tokens = Conv_{p×p, stride p}([x, resize(y)]) flattened to [B, N, hidden] + positions
 *   c      = MLP(emb(t)) [+ MLP(π)]
 *   tokens = depth × DiTBlock(tokens, c)                     (adaLN-Zero)
 *   (β, γ) = Linear(SiLU(c));  out = Linear(LN(tokens)(1 + γ) + β) → [B, N, p·p·C] → unpatchify → [B, C, H, W]
 * </pre>
 *
 * Initialisation as the DiT code, from a generator seeded with the construction seed: Xavier-uniform
 * linear and patch weights with zero biases, N(0, 0.02²) time-MLP weights, and zero adaLN modulations and
 * output layer, so that the freshly built network is the zero function and every block starts as the
 * identity.
 */
public final class DiT extends RandomNetworkModule implements Network {
  private final DiTConfig config;
  private final TimeEmbedding embedding;
  private final LinearImpl time1;
  private final LinearImpl time2;
  private final LinearImpl condition1;
  private final LinearImpl condition2;
  private final Conv2dImpl patch;
  private final Tensor positions;
  private final List<DiTBlock> blocks = new ArrayList<>();
  private final LinearImpl finalModulation;
  private final LinearImpl finalLinear;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public DiT(DiTConfig config, long seed) {
    super(seed);
    this.config = config;
    Generator g = Torch.generator(seed);
    int d = config.hidden();
    int p = config.patchSize();
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    this.time1 = child("time1", Layers.linear(config.timeEmbedding().dim(), d));
    this.time2 = child("time2", Layers.linear(d, d));
    boolean conditioned = config.conditionDim() > 0;
    int flag = Conditioning.flag(config.conditionDropout());
    this.condition1 = conditioned ? child("condition1", Layers.linear(config.conditionDim() + flag, d)) : null;
    this.condition2 = conditioned ? child("condition2", Layers.linear(d, d)) : null;
    this.patch = child("patch", Layers.conv(config.inChannels()
        + (config.conditionImageChannels() > 0 ? config.conditionImageChannels() + flag : 0), d, p, p, 0));
    for (int k = 0; k < config.depth(); k++) {
      blocks.add(child("block" + k, new DiTBlock(d, config.heads(), config.mlpWidth())));
    }
    this.finalModulation = child("final_modulation", Layers.linear(d, 2L * d));
    this.finalLinear = child("final_linear", Layers.linear(d, (long) p * p * config.inChannels()));
    Init.xavier(this, g);
    Init.normal(time1.weight(), 0.02, g);
    Init.normal(time2.weight(), 0.02, g);
    for (DiTBlock b : blocks) {
      Init.zero(b.modulation.weight());
      Init.zero(b.modulation.bias());
    }
    Init.zero(finalModulation.weight());
    Init.zero(finalModulation.bias());
    Init.zero(finalLinear.weight());
    Init.zero(finalLinear.bias());
    int h = config.height() / p;
    int w = config.width() / p;
    if (config.learnedPositions()) {
      Tensor pos = torch.zeros(new long[] {1, (long) h * w, d}, Torch.options(DType.FLOAT32));
      Init.normal(pos, 0.02, g);
      this.positions = parameter("positions", pos);
    } else {
      this.positions = buffer("positions", PositionalEmbedding.sinCos2d(d, h, w));
    }
  }

  /** The configuration. */
  public DiTConfig config() {
    return config;
  }


  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Conditioning.checkInputs("DiT", x, t, 4);
    if (x.size(1) != config.inChannels() || x.size(2) != config.height() || x.size(3) != config.width()) {
      throw new InvalidInputException("DiT was built for x of shape [B, " + config.inChannels() + ", "
          + config.height() + ", " + config.width() + "], got " + java.util.Arrays.toString(Torch.shape(x)));
    }
    long batch = x.size(0);
    boolean optional = config.conditionDropout() > 0;
    Conditioning.checkParameters("DiT", config.conditionDim(), parameters, batch, optional);
    Conditioning.checkImage("DiT", config.conditionImageChannels(), image, batch, optional);
    Tensor keep = Conditioning.keep("DiT", config.conditionDropout(), is_training(), parameters, image,
        config.conditionDim() > 0, config.conditionImageChannels() > 0, batch, randomness, x);
    Tensor c = time2.forward(torch.silu(time1.forward(embedding.forward(t))));
    Tensor pi = Conditioning.parameterInput(parameters, keep, config.conditionDim(), x);
    if (pi != null) {
      c = c.add(condition2.forward(torch.silu(condition1.forward(pi))));
    }
    Tensor tokens = patch.forward(Conditioning.concatImage(x, image, config.conditionImageChannels(), keep)).flatten(2, 3).transpose(1, 2).add(positions);
    for (DiTBlock b : blocks) {
      tokens = b.forward(tokens, c);
    }
    TensorVector m = finalModulation.forward(torch.silu(c)).chunk(2, 1);
    Tensor out = finalLinear.forward(Layers.modulate(Layers.layerNorm(tokens, 1e-6, config.hidden()), m.get(0), m.get(1)));
    return unpatchify(out, batch);
  }

  /** [B, N, p·p·C] → [B, h, w, p, p, C] → [B, C, h, p, w, p] → [B, C, H, W]. */
  private Tensor unpatchify(Tensor out, long batch) {
    int p = config.patchSize();
    long h = config.height() / p;
    long w = config.width() / p;
    return out.reshape(batch, h, w, p, p, config.inChannels()).permute(0, 5, 1, 3, 2, 4)
        .reshape(batch, config.inChannels(), config.height(), config.width());
  }
}
