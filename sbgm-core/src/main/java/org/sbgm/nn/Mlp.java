package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * A multilayer perceptron on [x, e(t), c]: h₀ = [x, e(t), c] ∈ ℝ^{D+E+|c|}, h_{k+1} = act(W_k h_k + b_k)
 * for k = 0..depth-1, output W_out h_depth + b_out ∈ ℝ^D. The condition vector c is [π, flatten(y)]
 * (either part when configured) and, with condition dropout, [κ π, κ flatten(y), κ] with the keep flag κ
 * (see {@code Conditioning}: an absent condition is then the dropped one, κ = 0). {@link MlpConfig#reference()}
 * is the project's benchmark configuration (141,058 parameters).
 *
 * <p>When every sample shares one time (t a broadcast view, as in ODE/SDE solvers), the time features'
 * contribution to the first layer is computed once per call (not per sample or block of rows). Without autograd, activations are
 * applied in place and a large batch runs in blocks of rows whose activations stay in the core's
 * cache (each row's output depends on that row alone, so the result is the same); the layers of every
 * block write into the same two buffers, so a call allocates them once rather than per layer and block
 * (fresh per-layer allocations of this size measured markedly slower here). With autograd a large
 * batch runs in the same blocks, each with its own graph (a training step on 4096 rows of the
 * benchmark MLP measured about 10% faster than one graph over all rows).
 *
 * <p>{@link #forwardWithTangents} propagates K tangents v_k of x alongside the forward pass (forward-mode
 * differentiation): ż₀ = W_x v_k (only the x columns of the first weight; t and c have no tangent, and a
 * dropped condition is a function of the keep flags alone, not of x),
 * ḣ_k = act'(z_k) ⊙ ż_k, ż_{k+1} = W_k ḣ_k, and the output tangent W_out ḣ_depth. The K tangents of a
 * layer go through it as one [K·B, width] matrix product, also in row blocks.
 *
 * <p>Initialisation: PyTorch's default distribution for every linear layer and W ~ N(0, scale²) for the
 * Fourier embedding, all drawn from one generator seeded with the construction seed (global torch
 * state is not touched).
 */
public final class Mlp extends RandomNetworkModule implements TangentNetwork {
  private final MlpConfig config;
  private final TimeEmbedding embedding;
  private final List<LinearImpl> hidden = new ArrayList<>();
  private final LinearImpl out;
  /**
   * Large batches run in blocks of about this many activations per thread (1 MiB of float32 each): with
   * N threads a block is N times larger, so each thread's share of a product and of the element-wise
   * work stays the same size in its core's cache while the threads meet N times less often. Measured on
   * a Xeon (4 MiB L2 per core), {@code loglik-adaptive-mlp-5e-5}: one thread 3.02–3.20 s with 2^18
   * values per block against 3.25–3.48 s with 2^19; two threads 2.84–2.98 s with 2^19 against 2.88–4.18 s
   * with 2^18 (3 interleaved rounds each).
   */
  private static final long CHUNK_VALUES_PER_THREAD = 1L << 18;
  private static final long MIN_CHUNK_ROWS = 256;

  /** Builds the network with parameters drawn from a generator seeded with {@code seed}. */
  public Mlp(MlpConfig config, long seed) {
    super(seed);
    this.config = config;
    Generator g = Torch.generator(seed);
    this.embedding = child("embedding", new TimeEmbedding(config.timeEmbedding(), g));
    long in = config.dataDim() + config.timeEmbedding().dim() + config.conditionWidth();
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

  /** The condition-dropout generator when the MLP drops conditions; none otherwise (it is deterministic). */
  @Override
  public Map<String, Generator> generators() {
    return config.conditionDropout() > 0 ? super.generators() : Map.of();
  }

  /**
   * The inputs checked against this network's configuration, and the condition vector c the first layer
   * sees (null when unconditional); in training mode with condition dropout this draws the keep flags.
   */
  private Tensor condition(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    return Conditioning.vectorInputs("Mlp", x, t, parameters, image, config.dataDim(), config.conditionDim(),
        config.conditionImageDim(), config.conditionDropout(), is_training(), randomness);
  }


  /**
   * Rows per block at the thread count in effect, for layers of {@code width} with K = {@code tangents}
   * tangents alongside (0 for the plain forward pass); a batch of at least twice this runs in blocks.
   */
  static long blockRows(long width, long tangents) {
    return Math.max(MIN_CHUNK_ROWS, CHUNK_VALUES_PER_THREAD * Math.max(1, Torch.threads()) / (width * (1 + tangents)));
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Tensor c = condition(x, t, parameters, image);
    long batch = x.size(0);
    long rows = blockRows(config.width(), 0);
    if (batch >= 2 * rows && GradMode.is_enabled()) {
      // with autograd, the same row blocks each through their own graph: the products of the forward and
      // backward passes stay cache-sized, and the weight gradients add up over the blocks
      SharedTimeTerms shared = sharedTimeTerms(t);
      TensorVector outputs = new TensorVector();
      for (long start = 0; start < batch; start += rows) {
        long n = Math.min(rows, batch - start);
        outputs.push_back(layers(x.narrow(0, start, n), t.narrow(0, start, n),
            c == null ? null : c.narrow(0, start, n), shared));
      }
      return torch.cat(outputs, 0);
    }
    if (batch >= 2 * rows) {
      // two [rows, width] buffers that the layers of every block write in turn, and W_outᵀ made contiguous once
      Tensor[] buffers = {x.new_empty(new long[] {rows, config.width()}), x.new_empty(new long[] {rows, config.width()})};
      Tensor outWeightT = out.weight().t().contiguous();
      Tensor output = x.new_empty(new long[] {batch, config.dataDim()});
      SharedTimeTerms shared = sharedTimeTerms(t);
      for (long start = 0; start < batch; start += rows) {
        long n = Math.min(rows, batch - start);
        blockLayers(x.narrow(0, start, n), t.narrow(0, start, n),
            c == null ? null : c.narrow(0, start, n), shared, buffers, outWeightT,
            output.narrow(0, start, n));
      }
      return output;
    }
    return layers(x, t, c, sharedTimeTerms(t));
  }

  /** The layers on one block of n rows without autograd, through the buffers, into {@code output} ([n, D]). */
  private void blockLayers(Tensor x, Tensor t, Tensor condition, SharedTimeTerms shared, Tensor[] buffers,
      Tensor outWeightT, Tensor output) {
    long n = x.size(0);
    int current = 0;
    Tensor h = buffers[current].narrow(0, 0, n);
    firstLayer(x, t, condition, shared, h);
    config.activation().applyToTemporary(h);
    for (int layer = 1; layer < hidden.size(); layer++) {
      LinearImpl linear = hidden.get(layer);
      current = 1 - current;
      Tensor next = buffers[current].narrow(0, 0, n);
      torch.addmm_out(next, linear.bias(), h, linear.weight().t());
      h = config.activation().applyToTemporary(next);
    }
    torch.addmm_out(output, out.bias(), h, outWeightT);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code tangents} is {@code [K, B, dataDim]}. Each block of rows holds its activations and their K
   * tangents, (1 + K)·rows·width values, within the cache-sized block of {@link #forward}.
   */
  @Override
  public Tangents forwardWithTangents(Tensor x, Tensor t, Tensor condition, Tensor image, Tensor tangents) {
    Tensor c = condition(x, t, condition, image);
    long batch = x.size(0);
    if (tangents == null || tangents.dim() != 3 || tangents.size(0) < 1 || tangents.size(1) != batch
        || tangents.size(2) != config.dataDim()) {
      throw new InvalidInputException("Mlp expects tangents of shape [K, " + batch + ", " + config.dataDim()
          + "] with K >= 1, got " + (tangents == null ? "null" : java.util.Arrays.toString(Torch.shape(tangents))));
    }
    if (tangents.scalar_type().intern() != x.scalar_type().intern()) {
      throw new InvalidInputException("Mlp expects tangents of the dtype of x (" + x.scalar_type().intern()
          + "), got " + tangents.scalar_type().intern());
    }
    long k = tangents.size(0);
    long d = config.dataDim();
    long rows = blockRows(config.width(), k);
    if (batch < 2 * rows) {
      rows = batch;
    }
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor output = x.new_empty(new long[] {batch, d});
      Tensor jvp = x.new_empty(new long[] {k, batch, d});
      Workspace ws = new Workspace(x, k, rows, config.width(), d, out.weight());
      SharedTimeTerms shared = sharedTimeTerms(t);
      for (long start = 0; start < batch; start += rows) {
        long n = Math.min(rows, batch - start);
        layersWithTangents(x.narrow(0, start, n), t.narrow(0, start, n),
            c == null ? null : c.narrow(0, start, n), shared, tangents.narrow(1, start, n), ws,
            output.narrow(0, start, n), jvp.narrow(1, start, n));
      }
      return new Tangents(output, jvp);
    }
  }

  /**
   * Buffers of one {@link #forwardWithTangents} call, reused by every block of rows: two
   * {@code [(1 + K)·rows, width]} stacks of activations and tangents (a layer reads one and writes the
   * other), two {@code [rows, width]} scratch rows for the activation's derivative, the
   * {@code [(1 + K)·rows, D]} result, and W_outᵀ made contiguous (W_out is [D, width] with D small, and
   * the strided view multiplies slower).
   */
  private record Workspace(Tensor[] stacks, Tensor first, Tensor second, Tensor result, Tensor outWeightT) {
    Workspace(Tensor like, long k, long rows, long width, long d, Tensor outWeight) {
      this(new Tensor[] {like.new_empty(new long[] {(1 + k) * rows, width}), like.new_empty(new long[] {(1 + k) * rows, width})},
          like.new_empty(new long[] {rows, width}), like.new_empty(new long[] {rows, width}),
          like.new_empty(new long[] {(1 + k) * rows, d}), outWeight.t().contiguous());
    }
  }

  /**
   * The layers and the tangents' layers on one block of n rows, without autograd, into {@code output}
   * ({@code [n, D]}) and {@code jvp} ({@code [K, n, D]}). Each layer holds the activation and its K
   * tangents in one {@code [(1 + K)·n, width]} buffer, so a layer's weight multiplies all of them in one
   * matrix product (the bias is added to the first n rows only), and the nonlinearity and its
   * derivative are applied in place.
   */
  private void layersWithTangents(Tensor x, Tensor t, Tensor condition, SharedTimeTerms shared, Tensor tangents,
      Workspace ws, Tensor output, Tensor jvp) {
    long k = tangents.size(0);
    long n = x.size(0);
    long width = config.width();
    long d = config.dataDim();
    Tensor first = ws.first().narrow(0, 0, n);
    Tensor second = ws.second().narrow(0, 0, n);
    int current = 0;
    Tensor stacked = ws.stacks()[current].narrow(0, 0, (1 + k) * n);
    Tensor z = stacked.narrow(0, 0, n);
    firstLayer(x, t, condition, shared, z);
    // only the x columns of W₀ carry a tangent (t and the condition have none)
    torch.mm_out(stacked.narrow(0, n, k * n), tangents.reshape(k * n, d), hidden.get(0).weight().narrow(1, 0, d).t());
    config.activation().applyWithTangentsInPlace(z, stacked.narrow(0, n, k * n).view(k, n, width), first, second);
    for (int layer = 1; layer < hidden.size(); layer++) {
      LinearImpl linear = hidden.get(layer);
      current = 1 - current;
      Tensor next = ws.stacks()[current].narrow(0, 0, (1 + k) * n);
      torch.mm_out(next, stacked, linear.weight().t());
      stacked = next;
      z = stacked.narrow(0, 0, n).add_(linear.bias());
      config.activation().applyWithTangentsInPlace(z, stacked.narrow(0, n, k * n).view(k, n, width), first, second);
    }
    Tensor result = torch.mm_out(ws.result().narrow(0, 0, (1 + k) * n), stacked, ws.outWeightT());
    torch.add_out(output, result.narrow(0, 0, n), out.bias());
    jvp.copy_(result.narrow(0, n, k * n).view(k, n, d));
  }

  /** The layers on one batch (or one block of rows of it). */
  private Tensor layers(Tensor x, Tensor t, Tensor condition, SharedTimeTerms shared) {
    Tensor h = config.activation().applyToTemporary(firstLayer(x, t, condition, shared, null));
    for (int k = 1; k < hidden.size(); k++) {
      h = config.activation().applyToTemporary(hidden.get(k).forward(h));
    }
    return out.forward(h);
  }

  /**
   * For one time shared by the batch (t a broadcast view, as in ODE/SDE solvers): W₀ [x, e, c] + b₀ =
   * W_x x + W_c c + (W_e e + b₀), whose last term is one row computed once per call and broadcast, so
   * the embedding and its D·E-wide product are not repeated per sample or per block of rows (equal up
   * to the rounding of the regrouped sum). {@code weights} are the per-sample columns [W_x, W_c].
   */
  private record SharedTimeTerms(Tensor row, Tensor weights) {}

  /** The shared-time terms of the first layer, or null when the samples have their own times. */
  private SharedTimeTerms sharedTimeTerms(Tensor t) {
    if (!Torch.isSharedTime(t)) {
      return null;
    }
    LinearImpl first = hidden.get(0);
    Tensor w = first.weight();
    long d = config.dataDim();
    long e = embedding.dim();
    Tensor row = torch.linear(embedding.forward(t.narrow(0, 0, 1)), w.narrow(1, d, e), first.bias());
    Tensor weights = config.conditionWidth() == 0 ? w.narrow(1, 0, d)
        : torch.cat(new TensorVector(w.narrow(1, 0, d), w.narrow(1, d + e, config.conditionWidth())), 1);
    return new SharedTimeTerms(row, weights);
  }

  /**
   * W₀ [x, e(t), c] + b₀ for these rows (c the condition vector, or null), through the shared-time terms
   * when there are any; into {@code into} when it is not null.
   */
  private Tensor firstLayer(Tensor x, Tensor t, Tensor condition, SharedTimeTerms shared, Tensor into) {
    LinearImpl first = hidden.get(0);
    if (shared != null) {
      Tensor perSample = condition == null ? x : torch.cat(new TensorVector(x, condition), 1);
      return into == null ? torch.addmm(shared.row(), perSample, shared.weights().t())
          : torch.addmm_out(into, shared.row(), perSample, shared.weights().t());
    }
    TensorVector parts = condition == null
        ? new TensorVector(x, embedding.forward(t))
        : new TensorVector(x, embedding.forward(t), condition);
    return into == null ? first.forward(torch.cat(parts, 1))
        : torch.addmm_out(into, first.bias(), torch.cat(parts, 1), first.weight().t());
  }
}
