package org.sbgm.bench;

import org.sbgm.nn.UNetConfig;

/**
 * The floating-point operations of one {@link org.sbgm.nn.UNet} forward pass, counted analytically:
 * 2·(multiply-adds) of every convolution (2·C_in·C_out·k²·H_out·W_out per sample), linear layer
 * (2·in·out) and attention product (q kᵀ and a v: 2·(HW)²·C each). Normalisations, activations,
 * additions, the softmax and the upsampling copies are not counted (they are O(C·H·W), a few per cent).
 * A training step (forward, then the backward pass's input and weight gradients) is counted as three
 * forward passes, the usual convention.
 */
public final class UNetFlops {
  private UNetFlops() {}

  /** FLOPs of one forward pass at {@code batch} images of {@code height × width}. */
  public static double forward(UNetConfig c, long batch, long height, long width) {
    if (batch < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("batch and image size must be positive, got batch " + batch + " and "
          + height + "x" + width);
    }
    int levels = c.channelMultipliers().size();
    long[] h = new long[levels];
    long[] w = new long[levels];
    h[0] = height;
    w[0] = width;
    for (int i = 1; i < levels; i++) {
      h[i] = (h[i - 1] + 1) / 2; // 3x3, stride 2, padding 1
      w[i] = (w[i - 1] + 1) / 2;
    }
    long tw = c.timeWidth();
    double f = linear(c.timeEmbedding().dim(), tw) + linear(tw, tw);
    if (c.conditionDim() > 0) {
      f += linear(c.conditionDim(), tw) + linear(tw, tw);
    }
    long ch = c.baseChannels();
    f += conv(c.inChannels() + c.conditionImageChannels(), ch, 3, h[0], w[0]);
    for (int i = 0; i < levels; i++) {
      long co = (long) c.baseChannels() * c.channelMultipliers().get(i);
      for (int j = 0; j < c.resBlocksPerLevel(); j++) {
        f += resBlock(ch, co, tw, h[i], w[i]);
        ch = co;
        if (c.attentionLevels().contains(i)) {
          f += attention(ch, h[i], w[i]);
        }
      }
      if (i < levels - 1) {
        f += conv(ch, ch, 3, h[i + 1], w[i + 1]);
      }
    }
    int last = levels - 1;
    f += 2 * resBlock(ch, ch, tw, h[last], w[last]);
    if (c.middleAttention()) {
      f += attention(ch, h[last], w[last]);
    }
    for (int i = last; i >= 0; i--) {
      long co = (long) c.baseChannels() * c.channelMultipliers().get(i);
      for (int j = 0; j < c.resBlocksPerLevel(); j++) {
        f += resBlock(ch + co, co, tw, h[i], w[i]);
        ch = co;
        if (c.attentionLevels().contains(i)) {
          f += attention(ch, h[i], w[i]);
        }
      }
      if (i > 0) {
        f += conv(ch, ch, 3, h[i - 1], w[i - 1]);
      }
    }
    f += conv(ch, c.inChannels(), 3, h[0], w[0]);
    return f * batch;
  }

  /** FLOPs of one training step (forward and backward): three forward passes. */
  public static double trainingStep(UNetConfig c, long batch, long height, long width) {
    return 3 * forward(c, batch, height, width);
  }

  private static double linear(long in, long out) {
    return 2.0 * in * out;
  }

  private static double conv(long in, long out, long k, long h, long w) {
    return 2.0 * in * out * k * k * h * w;
  }

  private static double resBlock(long in, long out, long timeWidth, long h, long w) {
    double f = conv(in, out, 3, h, w) + linear(timeWidth, out) + conv(out, out, 3, h, w);
    return in != out ? f + conv(in, out, 1, h, w) : f;
  }

  private static double attention(long c, long h, long w) {
    double n = (double) h * w;
    return conv(c, 3 * c, 1, h, w) + 2 * (2.0 * n * n * c) + conv(c, c, 1, h, w);
  }
}
