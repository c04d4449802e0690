package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * A residual MLP in the spirit of sbgm's {@code ResidualNetwork}, with the time (and condition)
 * injected into every block:
 *
 * <pre>
 *   e   = act(W_t e(t) + W_π π)                       (W_π π only when conditioned)
 *   h₀  = W_in x
 *   u_k = dropout(act(A_k act(h_k) + C_k e))
 *   h_{k+1} = h_k + B_k u_k                           (k = 0..depth-1)
 *   out = W_out act(h_depth)
 * </pre>
 *
 * Dropout masks come from the network's own generator ({@link #setGenerator}), active only in
 * training mode. Initialisation: PyTorch's default distribution from a generator seeded with the seed.
 */
public final class ResidualMlp extends RandomNetworkModule implements Network {
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
    this.conditionIn = config.conditionDim() > 0 ? child("condition_in", Layers.linear(config.conditionDim(), w)) : null;
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
    Conditioning.checkInputs("ResidualMlp", x, t, 2);
    if (x.size(1) != config.dataDim()) {
      throw new IllegalArgumentException(
          "ResidualMlp expects x of shape [B, " + config.dataDim() + "], got [" + x.size(0) + ", " + x.size(1) + "]");
    }
    Conditioning.checkParameters("ResidualMlp", config.conditionDim(), parameters, x.size(0));
    Conditioning.checkImage("ResidualMlp", 0, image, x.size(0));
    Activation act = config.activation();
    Tensor e = timeIn.forward(embedding.forward(t));
    if (parameters != null) {
      e = e.add(conditionIn.forward(parameters));
    }
    e = act.apply(e);
    boolean training = is_training();
    Tensor h = in.forward(x);
    for (LinearImpl[] b : blocks) {
      Tensor u = act.apply(b[0].forward(act.apply(h)).add(b[1].forward(e)));
      h = h.add(b[2].forward(randomness.dropout(u, config.dropout(), training)));
    }
    return out.forward(act.apply(h));
  }
}
