package org.sbgm.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GroupNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * A DDPM-style U-Net (Ho et al. 2020, arXiv 2006.11239) for images x {@code [B, C, H, W]}.
 *
 * <pre>
 *   e = Linear(SiLU(Linear(emb(t)))) [+ Linear(SiLU(Linear(π)))]      time (+ condition) embedding
 *   h = Conv3×3([x, resize(y)])
 *   down, level i: resBlocksPerLevel × (ResBlock(h, e) [→ attention]), each output kept as a skip;
 *                  stride-2 Conv3×3 between levels
 *   middle:        ResBlock → [attention] → ResBlock
 *   up, level i:   resBlocksPerLevel × (ResBlock([h, skip], e) [→ attention]);
 *                  nearest upsampling to the next skip's size + Conv3×3 between levels
 *   out = Conv3×3(SiLU(GN(h))) → C channels
 * </pre>
 *
 * {@link UNetConfig#reference()} is the project's benchmark configuration for 28×28 images
 * (793,697 parameters). Upsampling goes to the size of the matching skip, which is 2× for even sizes
 * and also lets odd sizes (7 → 4 → 7) through.
 *
 * <p>Classifier-free guidance training: in training mode each sample's condition (π and y) is dropped
 * with probability {@code conditionDropout} (keep flags drawn from the network's generator,
 * {@link #setGenerator}); the network then sees κ π and κ y with the flag κ itself (one more input of the
 * condition MLP, one more input channel), and with {@code conditionDropout > 0} an absent condition is the
 * dropped one (see {@code Conditioning}). Initialisation: PyTorch's default distribution from a generator seeded with
 * the construction seed (global torch state is not touched).
 */
public final class UNet extends RandomNetworkModule implements Network {
  private final UNetConfig config;
  private final TimeEmbedding embedding;
  private final LinearImpl time1;
  private final LinearImpl time2;
  private final LinearImpl condition1;
  private final LinearImpl condition2;
  private final Conv2dImpl input;
  private final List<List<UNetResBlock>> down = new ArrayList<>();
  private final List<List<UNetAttention>> downAttention = new ArrayList<>();
  private final List<Conv2dImpl> downsample = new ArrayList<>();
  private final UNetResBlock middle1;
  private final UNetAttention middleAttention;
  private final UNetResBlock middle2;
  private final List<List<UNetResBlock>> up = new ArrayList<>();
  private final List<List<UNetAttention>> upAttention = new ArrayList<>();
  private final List<Conv2dImpl> upsample = new ArrayList<>();
  private final GroupNormImpl outNorm;
  private final Conv2dImpl outConv;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public UNet(UNetConfig config, long seed) {
    super(seed);
    this.config = config;
    Generator g = Torch.generator(seed);
    int tw = config.timeWidth();
    int groups = config.groups();
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    this.time1 = child("time1", Layers.linear(config.timeEmbedding().dim(), tw));
    this.time2 = child("time2", Layers.linear(tw, tw));
    boolean conditioned = config.conditionDim() > 0;
    int flag = Conditioning.flag(config.conditionDropout());
    this.condition1 = conditioned ? child("condition1", Layers.linear(config.conditionDim() + flag, tw)) : null;
    this.condition2 = conditioned ? child("condition2", Layers.linear(tw, tw)) : null;
    this.input = child("input", Layers.conv(config.inChannels()
        + (config.conditionImageChannels() > 0 ? config.conditionImageChannels() + flag : 0), config.baseChannels(), 3, 1, 1));
    int levels = config.channelMultipliers().size();
    int c = config.baseChannels();
    for (int i = 0; i < levels; i++) {
      int co = config.baseChannels() * config.channelMultipliers().get(i);
      List<UNetResBlock> blocks = new ArrayList<>();
      List<UNetAttention> attention = new ArrayList<>();
      for (int j = 0; j < config.resBlocksPerLevel(); j++) {
        blocks.add(child("down" + i + "_" + j, new UNetResBlock(c, co, tw, groups)));
        c = co;
        if (config.attentionLevels().contains(i)) {
          attention.add(child("down" + i + "_" + j + "_attention", new UNetAttention(c, groups, config.attentionHeads())));
        }
      }
      down.add(blocks);
      downAttention.add(attention);
      downsample.add(i < levels - 1 ? child("downsample" + i, Layers.conv(c, c, 3, 2, 1)) : null);
    }
    this.middle1 = child("middle1", new UNetResBlock(c, c, tw, groups));
    this.middleAttention = config.middleAttention()
        ? child("middle_attention", new UNetAttention(c, groups, config.attentionHeads())) : null;
    this.middle2 = child("middle2", new UNetResBlock(c, c, tw, groups));
    for (int i = levels - 1; i >= 0; i--) {
      int co = config.baseChannels() * config.channelMultipliers().get(i);
      List<UNetResBlock> blocks = new ArrayList<>();
      List<UNetAttention> attention = new ArrayList<>();
      for (int j = 0; j < config.resBlocksPerLevel(); j++) {
        blocks.add(child("up" + i + "_" + j, new UNetResBlock(c + co, co, tw, groups)));
        c = co;
        if (config.attentionLevels().contains(i)) {
          attention.add(child("up" + i + "_" + j + "_attention", new UNetAttention(c, groups, config.attentionHeads())));
        }
      }
      up.add(blocks);
      upAttention.add(attention);
      upsample.add(i > 0 ? child("upsample" + i, Layers.conv(c, c, 3, 1, 1)) : null);
    }
    this.outNorm = child("out_norm", Layers.groupNorm(groups, c));
    this.outConv = child("out_conv", Layers.conv(c, config.inChannels(), 3, 1, 1));
    Init.pytorchDefault(this, g);
  }

  /** The configuration. */
  public UNetConfig config() {
    return config;
  }


  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Conditioning.checkInputs("UNet", x, t, 4);
    if (x.size(1) != config.inChannels()) {
      throw new InvalidInputException("UNet expects x with " + config.inChannels() + " channels, got " + x.size(1));
    }
    long batch = x.size(0);
    boolean optional = config.conditionDropout() > 0;
    Conditioning.checkParameters("UNet", config.conditionDim(), parameters, batch, optional);
    Conditioning.checkImage("UNet", config.conditionImageChannels(), image, batch, optional);
    boolean training = is_training();
    Tensor keep = Conditioning.keep("UNet", config.conditionDropout(), training, parameters, image,
        config.conditionDim() > 0, config.conditionImageChannels() > 0, batch, randomness, x);
    Tensor e = time2.forward(torch.silu(time1.forward(embedding.forward(t))));
    Tensor pi = Conditioning.parameterInput(parameters, keep, config.conditionDim(), x);
    if (pi != null) {
      e = e.add(condition2.forward(torch.silu(condition1.forward(pi))));
    }
    double p = config.dropout();
    Tensor h = input.forward(Conditioning.concatImage(x, image, config.conditionImageChannels(), keep));
    Deque<Tensor> skips = new ArrayDeque<>();
    for (int i = 0; i < down.size(); i++) {
      for (int j = 0; j < down.get(i).size(); j++) {
        h = down.get(i).get(j).forward(h, e, randomness, p, training);
        if (!downAttention.get(i).isEmpty()) {
          h = downAttention.get(i).get(j).forward(h);
        }
        skips.push(h);
      }
      if (downsample.get(i) != null) {
        h = downsample.get(i).forward(h);
      }
    }
    h = middle1.forward(h, e, randomness, p, training);
    if (middleAttention != null) {
      h = middleAttention.forward(h);
    }
    h = middle2.forward(h, e, randomness, p, training);
    for (int i = 0; i < up.size(); i++) {
      for (int j = 0; j < up.get(i).size(); j++) {
        h = up.get(i).get(j).forward(torch.cat(new TensorVector(h, skips.pop()), 1), e, randomness, p, training);
        if (!upAttention.get(i).isEmpty()) {
          h = upAttention.get(i).get(j).forward(h);
        }
      }
      if (upsample.get(i) != null) {
        Tensor next = skips.peek();
        h = upsample.get(i).forward(torch.upsample_nearest2d(h, next.size(2), next.size(3)));
      }
    }
    return outConv.forward(torch.silu(Layers.groupNorm32(outNorm, h)));
  }
}
