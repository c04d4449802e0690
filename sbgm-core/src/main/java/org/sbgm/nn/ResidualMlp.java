package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * A residual MLP in the spirit of sbgm's {@code ResidualNetwork}, with the time (and condition)
 * injected into every block:
 *
 * <pre>
 *   e   = act(W_t e(t) + W_c c)                       (W_c c only when conditioned)
 *   h₀  = W_in x
 *   u_k = dropout(act(A_k act(h_k) + C_k e))
 *   h_{k+1} = h_k + B_k u_k                           (k = 0..depth-1)
 *   out = W_out act(h_depth)
 * </pre>
 *
 * The condition vector c is [π, flatten(y)] and, with condition dropout, [κ π, κ flatten(y), κ] with the
 * keep flag κ (an absent condition is then the dropped one; see {@code Conditioning}).
 * Dropout masks and keep flags come from the network's own generator ({@link #setGenerator}), active only in
 * training mode. {@link #forwardWithTangents} carries K tangents of x through the same layers in
 * forward mode (ḣ₀ = W_in v, ḣ_{k+1} = ḣ_k + B_k (act'(·) ⊙ A_k (act'(h_k) ⊙ ḣ_k)), the output tangent
 * W_out (act'(h) ⊙ ḣ)); with dropout it needs eval mode, where the masks are the identity. Initialisation: PyTorch's default distribution from a generator seeded with the seed.
 */
public final class ResidualMlp extends RandomNetworkModule implements TangentNetwork {
  private final ResidualMlpConfig config;
  private final TimeEmbedding embedding;
  private final LinearImpl timeIn;
  private final LinearImpl conditionIn;
  private final LinearImpl in;
  private final List<LinearImpl[]> blocks = new ArrayList<>();
  private final LinearImpl out;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public ResidualMlp(ResidualMlpConfig config, long seed) {
    super(seed);
    this.config = config;
    Generator g = Torch.generator(seed);
    int w = config.width();
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    this.timeIn = child("time_in", Layers.linear(config.timeEmbedding().dim(), w));
    this.conditionIn = config.conditionWidth() > 0 ? child("condition_in", Layers.linear(config.conditionWidth(), w)) : null;
    this.in = child("input", Layers.linear(config.dataDim(), w));
    for (int k = 0; k < config.depth(); k++) {
      blocks.add(new LinearImpl[] {
        child("block" + k + "_a", Layers.linear(w, w)),
        child("block" + k + "_c", Layers.linear(w, w)),
        child("block" + k + "_b", Layers.linear(w, w))
      });
    }
    this.out = child("out", Layers.linear(w, config.dataDim()));
    Init.pytorchDefault(this, g);
  }

  /** The configuration. */
  public ResidualMlpConfig config() {
    return config;
  }


  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Tensor c = condition(x, t, parameters, image);
    Activation act = config.activation();
    Tensor e = timeAndCondition(t, c);
    boolean training = is_training();
    Tensor h = in.forward(x);
    for (LinearImpl[] b : blocks) {
      Tensor u = act.apply(b[0].forward(act.apply(h)).add(b[1].forward(e)));
      h = h.add(b[2].forward(randomness.dropout(u, config.dropout(), training)));
    }
    return out.forward(act.apply(h));
  }

  /** Tangents need eval mode when the network has dropout (in training mode its masks are random). */
  @Override
  public boolean tangentsAvailable() {
    return config.dropout() == 0 || !is_training();
  }

  @Override
  public Tangents forwardWithTangents(Tensor x, Tensor t, Tensor parameters, Tensor image, Tensor tangents) {
    Tensor c = condition(x, t, parameters, image);
    long b = x.size(0);
    long dim = config.dataDim();
    if (tangents == null || tangents.dim() != 3 || tangents.size(0) < 1 || tangents.size(1) != b || tangents.size(2) != dim) {
      throw new InvalidInputException("ResidualMlp expects tangents of shape [K, " + b + ", " + dim + "] with K >= 1, got "
          + (tangents == null ? "null" : java.util.Arrays.toString(Torch.shape(tangents))));
    }
    if (tangents.scalar_type().intern() != x.scalar_type().intern()) {
      throw new InvalidInputException("ResidualMlp expects tangents of the dtype of x (" + x.scalar_type().intern()
          + "), got " + tangents.scalar_type().intern());
    }
    if (!tangentsAvailable()) {
      throw new IllegalStateException("ResidualMlp with dropout gives tangents only in eval mode; call module().eval()");
    }
    try (NoGradGuard off = new NoGradGuard()) {
      long k = tangents.size(0);
      long w = config.width();
      Activation act = config.activation();
      Tensor e = timeAndCondition(t, c);
      Tensor first = x.new_empty(new long[] {b, w});
      Tensor second = x.new_empty(new long[] {b, w});
      Tensor h = in.forward(x);
      Tensor hDot = product(tangents, in);
      for (LinearImpl[] block : blocks) {
        Tensor a = h.clone();
        Tensor aDot = hDot.clone();
        act.applyWithTangentsInPlace(a, aDot, first, second);
        Tensor u = block[0].forward(a).add_(block[1].forward(e));
        Tensor uDot = product(aDot, block[0]);
        act.applyWithTangentsInPlace(u, uDot, first, second);
        h = h.add(block[2].forward(u));
        hDot = hDot.add(product(uDot, block[2]));
      }
      act.applyWithTangentsInPlace(h, hDot, first, second);
      return new Tangents(out.forward(h), product(hDot, out));
    }
  }

  /** W v_k for K tangents {@code [K, B, in]} through a layer's weight (no bias): {@code [K, B, out]}. */
  private static Tensor product(Tensor tangents, LinearImpl layer) {
    long k = tangents.size(0);
    long b = tangents.size(1);
    return tangents.reshape(k * b, tangents.size(2)).mm(layer.weight().t()).reshape(k, b, layer.weight().size(0));
  }

  /** act(W_t e(t) + W_c c), the embedding every block receives. */
  private Tensor timeAndCondition(Tensor t, Tensor condition) {
    Tensor e = timeIn.forward(embedding.forward(t));
    if (condition != null) {
      e = e.add(conditionIn.forward(condition));
    }
    return config.activation().apply(e);
  }

  /** The inputs checked, and the condition vector c (null when unconditional; draws keep flags in training). */
  private Tensor condition(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    return Conditioning.vectorInputs("ResidualMlp", x, t, parameters, image, config.dataDim(), config.conditionDim(),
        config.conditionImageDim(), config.conditionDropout(), is_training(), randomness);
  }

}
