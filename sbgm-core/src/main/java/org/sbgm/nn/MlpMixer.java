package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.ConvTranspose2dImpl;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * An MLP-Mixer (Tolstikhin et al. 2021, arXiv 2105.01601) for images x {@code [B, C, H, W]}, following
 * sbgm's {@code Mixer2d}:
 *
 * <pre>
 *   y = Conv_{p×p, stride p}([x, resize(y_cond)]) as tokens [B, N, hidden]
 *   c = SiLU(Linear(emb(t)) [+ Linear(π)])                           the context
 *   y = depth × MixerBlock(y, c)                                    (adaptive layer norms from c)
 *   out = ConvTranspose_{p×p, stride p}(LN_{N×hidden}(y)) → [B, C, H, W]
 * </pre>
 *
 * With {@code conditionDropout > 0} a sample's condition is dropped in training mode as in the other
 * networks (κ π and κ y with the flag κ; an absent condition is the dropped one). Initialisation:
 * PyTorch's default distribution from a generator seeded with the construction seed.
 */
public final class MlpMixer extends RandomNetworkModule implements Network {
  private final MlpMixerConfig config;
  private final TimeEmbedding embedding;
  private final LinearImpl time;
  private final LinearImpl condition;
  private final Conv2dImpl patch;
  private final List<MixerBlock> blocks = new ArrayList<>();
  private final LayerNormImpl norm;
  private final ConvTranspose2dImpl unpatch;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public MlpMixer(MlpMixerConfig config, long seed) {
    super(seed);
    this.config = config;
    Generator g = Torch.generator(seed);
    int e = config.timeEmbedding().dim();
    int p = config.patchSize();
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    this.time = child("time", Layers.linear(e, e));
    int flag = Conditioning.flag(config.conditionDropout());
    this.condition = config.conditionDim() > 0 ? child("condition", Layers.linear(config.conditionDim() + flag, e)) : null;
    this.patch = child("patch", Layers.conv(config.inChannels()
        + (config.conditionImageChannels() > 0 ? config.conditionImageChannels() + flag : 0), config.hidden(), p, p, 0));
    for (int k = 0; k < config.depth(); k++) {
      blocks.add(child("block" + k,
          new MixerBlock(config.tokens(), config.hidden(), config.tokenMlpDim(), config.channelMlpDim(), e)));
    }
    this.norm = child("norm", new LayerNormImpl(new LongVector(config.tokens(), config.hidden())));
    this.unpatch = child("unpatch", Layers.convTranspose(config.hidden(), config.inChannels(), p, p));
    Init.pytorchDefault(this, g);
  }

  /** The configuration. */
  public MlpMixerConfig config() {
    return config;
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Conditioning.checkInputs("MlpMixer", x, t, 4);
    if (x.size(1) != config.inChannels() || x.size(2) != config.height() || x.size(3) != config.width()) {
      throw new InvalidInputException("MlpMixer was built for x of shape [B, " + config.inChannels() + ", "
          + config.height() + ", " + config.width() + "], got " + java.util.Arrays.toString(Torch.shape(x)));
    }
    long batch = x.size(0);
    boolean optional = config.conditionDropout() > 0;
    Conditioning.checkParameters("MlpMixer", config.conditionDim(), parameters, batch, optional);
    Conditioning.checkImage("MlpMixer", config.conditionImageChannels(), image, batch, optional);
    Tensor keep = Conditioning.keep("MlpMixer", config.conditionDropout(), is_training(), parameters, image,
        config.conditionDim() > 0, config.conditionImageChannels() > 0, batch, randomness, x);
    Tensor c = time.forward(embedding.forward(t));
    Tensor pi = Conditioning.parameterInput(parameters, keep, config.conditionDim(), x);
    if (pi != null) {
      c = c.add(condition.forward(pi));
    }
    c = torch.silu(c);
    Tensor y = patch.forward(Conditioning.concatImage(x, image, config.conditionImageChannels(), keep));
    long h = y.size(2);
    long w = y.size(3);
    y = y.flatten(2, 3).transpose(1, 2);
    for (MixerBlock b : blocks) {
      y = b.forward(y, c);
    }
    y = norm.forward(y).transpose(1, 2).reshape(batch, config.hidden(), h, w);
    return unpatch.forward(y);
  }

  /** The condition-dropout generator when the mixer drops conditions; none otherwise (it is deterministic). */
  @Override
  public Map<String, Generator> generators() {
    return config.conditionDropout() > 0 ? super.generators() : Map.of();
  }
}
