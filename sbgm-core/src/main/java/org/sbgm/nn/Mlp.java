package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GradMode;
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
 * <p>When every sample shares one time (t a broadcast view, as in ODE/SDE solvers), the time features'
 * contribution to the first layer is computed once for the batch. Without autograd, activations are
 * applied in place and a large batch runs in blocks of rows whose activations stay in the core's
 * cache (each row's output depends on that row alone, so the result is the same).
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
  /** Without autograd, large batches run in blocks of about this many activations (1 MiB of float32). */
  private static final long CHUNK_VALUES = 1L << 18;
  private static final long MIN_CHUNK_ROWS = 256;

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
    long batch = x.size(0);
    long rows = Math.max(MIN_CHUNK_ROWS, CHUNK_VALUES / config.width());
    if (batch >= 2 * rows && !GradMode.is_enabled()) {
      TensorVector outputs = new TensorVector();
      for (long start = 0; start < batch; start += rows) {
        long n = Math.min(rows, batch - start);
        outputs.push_back(layers(x.narrow(0, start, n), t.narrow(0, start, n),
            parameters == null ? null : parameters.narrow(0, start, n)));
      }
      return torch.cat(outputs, 0);
    }
    return layers(x, t, parameters);
  }

  /** The layers on one batch (or one block of rows of it). */
  private Tensor layers(Tensor x, Tensor t, Tensor parameters) {
    Tensor h = Torch.isSharedTime(t) ? firstLayerSharedTime(x, t, parameters) : firstLayer(x, t, parameters);
    h = config.activation().applyToTemporary(h);
    for (int k = 1; k < hidden.size(); k++) {
      h = config.activation().applyToTemporary(hidden.get(k).forward(h));
    }
    return out.forward(h);
  }

  /** W₀ [x, e(t), π] + b₀. */
  private Tensor firstLayer(Tensor x, Tensor t, Tensor parameters) {
    TensorVector parts = parameters == null
        ? new TensorVector(x, embedding.forward(t))
        : new TensorVector(x, embedding.forward(t), parameters);
    return hidden.get(0).forward(torch.cat(parts, 1));
  }

  /**
   * The same for one time shared by the batch: W₀ [x, e, π] + b₀ = W_x x + W_π π + (W_e e + b₀), whose
   * last term is one row computed once and broadcast, so the embedding and its D·E-wide product are not
   * repeated per sample (equal up to the rounding of the regrouped sum).
   */
  private Tensor firstLayerSharedTime(Tensor x, Tensor t, Tensor parameters) {
    LinearImpl first = hidden.get(0);
    Tensor w = first.weight();
    long d = config.dataDim();
    long e = embedding.dim();
    Tensor row = torch.linear(embedding.forward(t.narrow(0, 0, 1)), w.narrow(1, d, e), first.bias());
    if (parameters == null) {
      return torch.addmm(row, x, w.narrow(1, 0, d).t());
    }
    Tensor perSample = torch.cat(new TensorVector(x, parameters), 1);
    Tensor weights = torch.cat(new TensorVector(w.narrow(1, 0, d), w.narrow(1, d + e, config.conditionDim())), 1);
    return torch.addmm(row, perSample, weights.t());
  }
}
