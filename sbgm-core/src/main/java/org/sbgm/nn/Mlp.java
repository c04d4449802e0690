package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * A multilayer perceptron on [x, e(t), π]: h₀ = [x, e(t), π] ∈ ℝ^{D+E+P}, h_{k+1} = act(W_k h_k + b_k)
 * for k = 0..depth-1, output W_out h_depth + b_out ∈ ℝ^D. With {@link MlpConfig#reference()} it is the
 * {@code Mlp} of the Python reference workload (141,058 parameters).
 *
 * <p>Initialisation: PyTorch's default distribution for every linear layer and W ~ N(0, scale²) for the
 * Fourier embedding, all drawn from one generator seeded with the construction seed (global torch
 * state is not touched).
 */
public final class Mlp extends NetworkModule implements Network {
  private final MlpConfig config;
  private final TimeEmbedding embedding;
  private final List<LinearImpl> hidden = new ArrayList<>();
  private final LinearImpl out;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public Mlp(MlpConfig config, long seed) {
    Torch.init();
    this.config = config;
    Generator g = Torch.generator(seed);
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    long in = config.dataDim() + config.timeEmbedding().dim() + config.conditionDim();
    for (int k = 0; k < config.depth(); k++) {
      hidden.add(child("hidden" + k, Layers.linear(k == 0 ? in : config.width(), config.width())));
    }
    this.out = child("out", Layers.linear(config.width(), config.dataDim()));
    Init.pytorchDefault(this, g);
  }

  /** The configuration. */
  public MlpConfig config() {
    return config;
  }

  @Override
  public Module module() {
    return this;
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Conditioning.checkInputs("Mlp", x, t, 2);
    if (x.size(1) != config.dataDim()) {
      throw new IllegalArgumentException("Mlp expects x of shape [B, " + config.dataDim() + "], got [" + x.size(0) + ", " + x.size(1) + "]");
    }
    Conditioning.checkParameters("Mlp", config.conditionDim(), parameters, x.size(0));
    Conditioning.checkImage("Mlp", 0, image, x.size(0));
    TensorVector parts = parameters == null
        ? new TensorVector(x, embedding.forward(t))
        : new TensorVector(x, embedding.forward(t), parameters);
    Tensor h = torch.cat(parts, 1);
    for (LinearImpl layer : hidden) {
      h = config.activation().apply(layer.forward(h));
    }
    return out.forward(h);
  }
}
