package org.sbgm.nn;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A DiT block with adaLN-Zero conditioning (Peebles and Xie 2023, arXiv 2212.09748, Fig. 3):
 * (β₁, γ₁, α₁, β₂, γ₂, α₂) = Linear(SiLU(c)) with the Linear zero-initialised, then
 * x ← x + α₁ · Attn(LN(x)(1 + γ₁) + β₁) and x ← x + α₂ · MLP(LN(x)(1 + γ₂) + β₂), LN without affine
 * parameters (eps 1e-6), multi-head attention by libtorch's fused scaled_dot_product_attention and a
 * GELU(tanh) MLP.
 */
final class DiTBlock extends NetworkModule {
  private final LinearImpl qkv;
  private final LinearImpl proj;
  private final LinearImpl fc1;
  private final LinearImpl fc2;
  final LinearImpl modulation;
  private final int hidden;
  private final int heads;

  DiTBlock(int hidden, int heads, int mlpWidth) {
    this.qkv = child("qkv", Layers.linear(hidden, 3L * hidden));
    this.proj = child("proj", Layers.linear(hidden, hidden));
    this.fc1 = child("fc1", Layers.linear(hidden, mlpWidth));
    this.fc2 = child("fc2", Layers.linear(mlpWidth, hidden));
    this.modulation = child("modulation", Layers.linear(hidden, 6L * hidden));
    this.hidden = hidden;
    this.heads = heads;
  }

  /** x {@code [B, N, hidden]}, c {@code [B, hidden]}. */
  Tensor forward(Tensor x, Tensor c) {
    TensorVector m = modulation.forward(torch.silu(c)).chunk(6, 1);
    Tensor h = Layers.modulate(Layers.layerNorm(x, 1e-6, hidden), m.get(0), m.get(1));
    x = x.add(m.get(2).unsqueeze(1).mul(attention(h)));
    h = Layers.modulate(Layers.layerNorm(x, 1e-6, hidden), m.get(3), m.get(4));
    return x.add(m.get(5).unsqueeze(1).mul(fc2.forward(torch.gelu(fc1.forward(h), "tanh"))));
  }

  private Tensor attention(Tensor x) {
    long b = x.size(0);
    long n = x.size(1);
    // [B, N, 3 hidden] -> [B, N, 3, heads, d] -> [3, B, heads, N, d]
    Tensor s = qkv.forward(x).reshape(b, n, 3, heads, hidden / heads).permute(2, 0, 3, 1, 4);
    Tensor a = torch.scaled_dot_product_attention(s.select(0, 0), s.select(0, 1), s.select(0, 2));
    return proj.forward(a.transpose(1, 2).reshape(b, n, hidden));
  }
}
