package org.sbgm.nn;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.GroupNormImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;

/**
 * Self-attention over pixels with a residual connection: q, k, v = Conv1×1(GN(x)) split into heads,
 * a = softmax(q kᵀ / √d) v (libtorch's fused scaled_dot_product_attention), out = x + Conv1×1(a).
 * With one head it is the usual DDPM pixel-attention block.
 */
final class UNetAttention extends NetworkModule {
  private final GroupNormImpl norm;
  private final Conv2dImpl qkv;
  private final Conv2dImpl out;
  private final int heads;

  UNetAttention(int channels, int groups, int heads) {
    if (channels % heads != 0) {
      throw new InvalidInputException(
          "attention needs the channel count " + channels + " to be a multiple of the head count " + heads);
    }
    this.norm = child("n", Layers.groupNorm(groups, channels));
    this.qkv = child("qkv", Layers.conv(channels, 3L * channels, 1, 1, 0));
    this.out = child("out", Layers.conv(channels, channels, 1, 1, 0));
    this.heads = heads;
  }

  Tensor forward(Tensor x) {
    long b = x.size(0);
    long c = x.size(1);
    long h = x.size(2);
    long w = x.size(3);
    // [B, 3C, H, W] -> [B, 3, heads, C/heads, HW] -> [3, B, heads, HW, C/heads]
    Tensor s = qkv.forward(Layers.groupNorm32(norm, x)).reshape(b, 3, heads, c / heads, h * w).permute(1, 0, 2, 4, 3);
    Tensor a = torch.scaled_dot_product_attention(s.select(0, 0), s.select(0, 1), s.select(0, 2));
    // [B, heads, HW, C/heads] -> [B, heads, C/heads, HW] -> [B, C, H, W]
    return x.add(out.forward(a.permute(0, 1, 3, 2).reshape(b, c, h, w)));
  }
}
