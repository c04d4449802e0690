package org.sbgm.nn;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.GroupNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The U-Net residual block: h = Conv3×3(SiLU(GN(x))) + Linear(e)[:, :, None, None];
 * h = Conv3×3(dropout(SiLU(GN(h)))); out = h + skip(x), with skip a 1×1 convolution when the channel
 * count changes and the identity otherwise.
 */
final class UNetResBlock extends NetworkModule {
  private final GroupNormImpl norm1;
  private final Conv2dImpl conv1;
  private final LinearImpl time;
  private final GroupNormImpl norm2;
  private final Conv2dImpl conv2;
  private final Conv2dImpl skip;

  UNetResBlock(int in, int out, int timeWidth, int groups) {
    norm1 = child("n1", Layers.groupNorm(groups, in));
    conv1 = child("c1", Layers.conv(in, out, 3, 1, 1));
    time = child("t", Layers.linear(timeWidth, out));
    norm2 = child("n2", Layers.groupNorm(groups, out));
    conv2 = child("c2", Layers.conv(out, out, 3, 1, 1));
    skip = in != out ? child("skip", Layers.conv(in, out, 1, 1, 0)) : null;
  }

  Tensor forward(Tensor x, Tensor timeEmbedding, Randomness randomness, double dropout, boolean training) {
    Tensor h = conv1.forward(torch.silu(Layers.groupNorm32(norm1, x)))
        .add(time.forward(timeEmbedding).unsqueeze(2).unsqueeze(3));
    h = conv2.forward(randomness.dropout(torch.silu(Layers.groupNorm32(norm2, h)), dropout, training));
    return h.add(skip == null ? x : skip.forward(x));
  }
}
