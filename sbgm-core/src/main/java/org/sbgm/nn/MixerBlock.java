package org.sbgm.nn;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A mixer block with adaptive layer norms, as sbgm's {@code MixerBlock}: for tokens y {@code [B, N, F]}
 * and context c,
 * <pre>
 *   y ← y + TokenMLP(AdaLN₁(y, c)ᵀ)ᵀ       (mixes the N patches, per channel)
 *   y ← y + ChannelMLP(AdaLN₂(y, c))      (mixes the F channels, per patch)
 *   AdaLN(y, c) = LN_{N×F}(y) (1 + γ(c)) + β(c),  (γ, β) = Linear(c) ∈ ℝ^{2 N F}
 * </pre>
 * The layer norm normalises each sample over its whole N × F block without learned affine
 * parameters (the context supplies them); the MLPs are Linear-GELU-Linear.
 */
final class MixerBlock extends NetworkModule {
  private final LinearImpl norm1;
  private final LinearImpl norm2;
  private final LinearImpl token1;
  private final LinearImpl token2;
  private final LinearImpl channel1;
  private final LinearImpl channel2;
  private final int tokens;
  private final int hidden;

  MixerBlock(int tokens, int hidden, int tokenMlpDim, int channelMlpDim, int contextDim) {
    this.norm1 = child("norm1", Layers.linear(contextDim, 2L * tokens * hidden));
    this.token1 = child("token1", Layers.linear(tokens, tokenMlpDim));
    this.token2 = child("token2", Layers.linear(tokenMlpDim, tokens));
    this.norm2 = child("norm2", Layers.linear(contextDim, 2L * tokens * hidden));
    this.channel1 = child("channel1", Layers.linear(hidden, channelMlpDim));
    this.channel2 = child("channel2", Layers.linear(channelMlpDim, hidden));
    this.tokens = tokens;
    this.hidden = hidden;
  }

  Tensor forward(Tensor y, Tensor context) {
    Tensor u = adaptiveNorm(norm1, y, context).transpose(1, 2);
    y = y.add(token2.forward(torch.gelu(token1.forward(u))).transpose(1, 2));
    Tensor v = adaptiveNorm(norm2, y, context);
    return y.add(channel2.forward(torch.gelu(channel1.forward(v))));
  }

  private Tensor adaptiveNorm(LinearImpl net, Tensor y, Tensor context) {
    TensorVector ss = net.forward(context).reshape(y.size(0), 2, tokens, hidden).unbind(1);
    return Layers.layerNorm(y, 1e-5, tokens, hidden).mul(ss.get(0).add(org.sbgm.torch.Torch.scalar(1.0))).add(ss.get(1));
  }
}
