package org.sbgm.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * AdamW (decoupled weight decay, as PyTorch's and libtorch's: θ ← θ(1 − η λ), m ← β₁m + (1 − β₁)g,
 * v ← β₂v + (1 − β₂)g², θ ← θ − η/(1 − β₁ᵗ) · m/(√v/√(1 − β₂ᵗ) + ε)) over a module's parameters, with
 * β = (0.9, 0.999) and ε = 1e-8, in one call per step: libtorch's fused kernel {@code aten::_fused_adamw_}
 * (one vectorised pass per parameter over θ, g, m and v, reached through the dispatcher, since the JavaCPP
 * API does not bind it) in place of libtorch's {@code torch::optim::AdamW}, which runs nine tensor
 * operations per parameter. Both give the same values to the last bit or two of float32. Where the kernel
 * is missing, the same update runs as those nine operations.
 *
 * <p>The state is the moments m and v of every parameter (zero before the first step, as libtorch
 * creates them) and each parameter's number of updates t. As in libtorch, a parameter without a gradient
 * is left alone by a step: not decayed, its moments and count unchanged. {@link CheckpointSchema} saves
 * and restores the state by parameter name.
 */
public final class FusedAdamW {
  /** β₁, β₂ and ε: PyTorch's defaults, which every run uses. */
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;

  private static final String FUSED = "aten::_fused_adamw_";
  private static final String CHECK = "aten::_amp_foreach_non_finite_check_and_unscale_";

  private final Module module;
  private final List<String> names;
  private final Tensor[] parameters;
  private final Tensor[] expAvg;
  private final Tensor[] expAvgSq;
  private final double weightDecay;
  private double learningRate;
  private final long[] counts;
  /** libtorch's fused kernels with the arguments that stay the same from step to step; null: the unfused update. */
  private final Kernel kernel;

  /**
   * AdamW over {@code module}'s parameters at {@code learningRate} with decoupled weight decay {@code
   * weightDecay}; the moments are zero and no step has been taken.
   */
  public FusedAdamW(Module module, double learningRate, double weightDecay) {
    this(module, learningRate, weightDecay, true);
  }

  /** As above; {@code useKernel} false runs the nine-operation update even where the fused kernel exists (tests). */
  FusedAdamW(Module module, double learningRate, double weightDecay, boolean useKernel) {
    Torch.init();
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new InvalidInputException("AdamW weight decay must be finite and non-negative, got " + weightDecay);
    }
    this.module = module;
    this.weightDecay = weightDecay;
    setLearningRate(learningRate);
    Map<String, Tensor> named = CheckpointSchema.named(module.named_parameters(true));
    this.names = List.copyOf(named.keySet());
    int n = names.size();
    parameters = new Tensor[n];
    counts = new long[n];
    expAvg = new Tensor[n];
    expAvgSq = new Tensor[n];
    try (NoGradGuard ng = new NoGradGuard()) {
      for (int i = 0; i < n; i++) {
        parameters[i] = owned(named.get(names.get(i)));
        expAvg[i] = owned(torch.zeros_like(parameters[i]));
        expAvgSq[i] = owned(torch.zeros_like(parameters[i]));
      }
    }
    kernel = useKernel ? Kernel.of(parameters, expAvg, expAvgSq, weightDecay) : null;
  }

  /** The parameter names, in the module's order. */
  public List<String> names() {
    return names;
  }

  public double learningRate() {
    return learningRate;
  }

  public double weightDecay() {
    return weightDecay;
  }

  /** Sets η for the next steps. */
  public void setLearningRate(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new InvalidInputException("the learning rate must be finite and non-negative, got " + lr);
    }
    this.learningRate = lr;
  }

  /** The most updates any parameter has had (the number of steps when every step reached every parameter). */
  public long steps() {
    long m = 0;
    for (long c : counts) {
      m = Math.max(m, c);
    }
    return m;
  }

  /** Each parameter's number of updates t, by name. */
  public Map<String, Long> stepCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      m.put(names.get(i), counts[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Whether the steps run libtorch's fused kernel (else the nine-operation update). */
  public boolean isFused() {
    return kernel != null;
  }

  /** Drops every parameter's gradient (the next backward pass writes fresh ones). */
  public void zeroGrad() {
    module.zero_grad(true);
  }

  /**
   * True when every gradient is finite, decided in one pass over all of them where libtorch's
   * non-finite check is available; else by {@link GradientClipping#allFinite}.
   */
  public boolean gradientsFinite() {
    if (kernel == null || kernel.check == null) {
      return GradientClipping.allFinite(module.parameters(true));
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor[] g = gradients();
      int[] with = withGradients(g);
      return with.length == 0 || kernel.finite(pick(g, with));
    }
  }

  /** One AdamW step on the gradients in place, for every parameter that has one. */
  public void step() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor[] g = gradients();
      int[] with = withGradients(g);
      if (with.length == 0) {
        return;
      }
      if (kernel != null) {
        kernel.step(with, g, counts, learningRate);
      } else {
        for (int i : with) {
          long t = counts[i] + 1;
          double bias1 = 1 - Math.pow(BETA1, t);
          double bias2 = 1 - Math.pow(BETA2, t);
          Tensor p = parameters[i];
          if (weightDecay != 0) {
            p.mul_(Torch.scalar(1 - learningRate * weightDecay));
          }
          expAvg[i].mul_(Torch.scalar(BETA1)).add_(g[i], Torch.scalar(1 - BETA1));
          expAvgSq[i].mul_(Torch.scalar(BETA2)).addcmul_(g[i], g[i], Torch.scalar(1 - BETA2));
          Tensor denom = expAvgSq[i].sqrt().div(Torch.scalar(Math.sqrt(bias2))).add_(Torch.scalar(EPS));
          p.addcdiv_(expAvg[i], denom, Torch.scalar(-learningRate / bias1));
        }
      }
      for (int i : with) {
        counts[i]++;
      }
    }
  }

  /** The first moments by parameter name (the live tensors). */
  public Map<String, Tensor> expAvg() {
    return byName(expAvg);
  }

  /** The second moments by parameter name (the live tensors). */
  public Map<String, Tensor> expAvgSq() {
    return byName(expAvgSq);
  }

  /**
   * Sets the state: each parameter's update count and moments by name (copied; every name, of the
   * parameters' shapes, must be there, which the caller has checked).
   */
  void load(Map<String, Long> steps, Map<String, Tensor> m, Map<String, Tensor> v) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      for (int i = 0; i < parameters.length; i++) {
        expAvg[i].copy_(m.get(names.get(i)));
        expAvgSq[i].copy_(v.get(names.get(i)));
        counts[i] = steps.get(names.get(i));
      }
    }
  }

  private Map<String, Tensor> byName(Tensor[] t) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < t.length; i++) {
      m.put(names.get(i), t[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every parameter's gradient, null where it has none. */
  private Tensor[] gradients() {
    Tensor[] g = new Tensor[parameters.length];
    for (int i = 0; i < g.length; i++) {
      Tensor t = parameters[i].grad();
      g[i] = t != null && t.defined() ? t : null;
    }
    return g;
  }

  /** The positions of the non-null gradients. */
  private static int[] withGradients(Tensor[] g) {
    int n = 0;
    for (Tensor t : g) {
      n += t == null ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < g.length; i++) {
      if (g[i] != null) {
        out[k++] = i;
      }
    }
    return out;
  }

  private static Tensor[] pick(Tensor[] t, int[] at) {
    if (at.length == t.length) {
      return t;
    }
    Tensor[] out = new Tensor[at.length];
    for (int k = 0; k < at.length; k++) {
      out[k] = t[at[k]];
    }
    return out;
  }

  /**
   * {@code aten::_fused_adamw_} and {@code aten::_amp_foreach_non_finite_check_and_unscale_} for one set of
   * parameters, with the argument lists of the common step (every parameter has a gradient and the same count,
   * so one step tensor serves all) and the constant arguments built once.
   */
  private static final class Kernel {
    private final OperatorHandle fused;
    private final OperatorHandle check; // null when only the update is available
    private final Tensor[] parameters;
    private final Tensor[] expAvg;
    private final Tensor[] expAvgSq;
    private final Tensor stepTensor; // float32 scalars on the parameters' device: t, the check's flag and scale
    private final Tensor found;
    private final IValue parameterList;
    private final IValue expAvgList;
    private final IValue expAvgSqList;
    private final IValue stepList;
    private final IValue emptyList;
    private final IValue[] constants; // β₁, β₂, λ, ε, amsgrad, maximize, grad_scale, found_inf
    private final IValue foundValue;
    private final IValue oneValue;

    private Kernel(OperatorHandle fused, OperatorHandle check, Tensor[] parameters, Tensor[] expAvg, Tensor[] expAvgSq,
        double weightDecay) {
      this.fused = fused;
      this.check = check;
      this.parameters = parameters;
      this.expAvg = expAvg;
      this.expAvgSq = expAvgSq;
      stepTensor = owned(Torch.full(new long[0], 0, parameters[0]).to(torch.ScalarType.Float));
      found = owned(Torch.full(new long[] {1}, 0, stepTensor));
      parameterList = retained(list(parameters));
      expAvgList = retained(list(expAvg));
      expAvgSqList = retained(list(expAvgSq));
      Tensor[] steps = new Tensor[parameters.length];
      java.util.Arrays.fill(steps, stepTensor);
      stepList = retained(list(steps));
      emptyList = retained(list());
      constants = new IValue[] {retained(new IValue(BETA1)), retained(new IValue(BETA2)), retained(new IValue(weightDecay)),
          retained(new IValue(EPS)), retained(new IValue(false)), retained(new IValue(false)), retained(new IValue()),
          retained(new IValue())};
      foundValue = retained(new IValue(found));
      oneValue = retained(new IValue(owned(Torch.full(new long[] {1}, 1, stepTensor))));
    }

    /** The kernels for these parameters, or null where libtorch lacks the update for their backend or they differ. */
    static Kernel of(Tensor[] parameters, Tensor[] expAvg, Tensor[] expAvgSq, double weightDecay) {
      torch.DispatchKey key = parameters.length == 0 ? null : backend(parameters[0]);
      OperatorHandle fused = key != null && uniform(parameters) ? find(FUSED, key) : null;
      return fused == null ? null : new Kernel(fused, find(CHECK, key), parameters, expAvg, expAvgSq, weightDecay);
    }

    /** True when every one of {@code g} is finite, in one pass (g ← g · 1, exact). */
    boolean finite(Tensor[] g) {
      found.zero_();
      IValueVector stack = new IValueVector();
      stack.push_back(list(g));
      stack.push_back(foundValue);
      stack.push_back(oneValue);
      check.callBoxed(stack);
      return found.item_double() == 0;
    }

    /** The update of the parameters at positions {@code with} (those with gradients), each at its count + 1. */
    void step(int[] with, Tensor[] g, long[] counts, double learningRate) {
      IValueVector stack = new IValueVector();
      if (with.length == parameters.length && allEqual(counts)) {
        stepTensor.fill_(Torch.scalar((double) (counts[0] + 1)));
        stack.push_back(parameterList);
        stack.push_back(list(g));
        stack.push_back(expAvgList);
        stack.push_back(expAvgSqList);
        stack.push_back(emptyList);
        stack.push_back(stepList);
      } else {
        Tensor[] t = new Tensor[with.length];
        for (int k = 0; k < with.length; k++) {
          t[k] = Torch.full(new long[0], counts[with[k]] + 1, stepTensor);
        }
        stack.push_back(list(pick(parameters, with)));
        stack.push_back(list(pick(g, with)));
        stack.push_back(list(pick(expAvg, with)));
        stack.push_back(list(pick(expAvgSq, with)));
        stack.push_back(emptyList);
        stack.push_back(list(t));
      }
      stack.push_back(new IValue(learningRate));
      for (IValue c : constants) {
        stack.push_back(c);
      }
      fused.callBoxed(stack);
    }

    private static boolean allEqual(long[] counts) {
      for (long c : counts) {
        if (c != counts[0]) {
          return false;
        }
      }
      return true;
    }
  }

  /** The fused kernel wants floating parameters of one dtype on one device. */
  private static boolean uniform(Tensor[] p) {
    if (p.length == 0) {
      return false;
    }
    for (Tensor t : p) {
      if (!t.is_floating_point() || t.scalar_type().intern() != p[0].scalar_type().intern()
          || !t.device().str().getString().equals(p[0].device().str().getString())) {
        return false;
      }
    }
    return true;
  }

  /** The dispatch key of the parameters' backend where the fused kernels may exist (CPU, CUDA); else null. */
  private static torch.DispatchKey backend(Tensor t) {
    return t.device().is_cpu() ? torch.DispatchKey.CPU : t.device().is_cuda() ? torch.DispatchKey.CUDA : null;
  }

  /** The operator {@code name} when this libtorch has a kernel of it for {@code key}; else null (the unfused path). */
  private static OperatorHandle find(String name, torch.DispatchKey key) {
    try {
      OperatorHandle h = Dispatcher.singleton().findSchemaOrThrow(name, "");
      if (!h.hasKernelForDispatchKey(key)) {
        return null;
      }
      h.retainReference();
      return h;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Tensor owned(Tensor t) {
    Tensor o = new Tensor(t);
    o.retainReference();
    return o;
  }

  private static IValue retained(IValue v) {
    v.retainReference();
    return v;
  }

  private static IValue list(Tensor... tensors) {
    GenericList l = new GenericList(new Type.TypePtr(TensorType.get()));
    for (Tensor t : tensors) {
      l.push_back(new IValue(t));
    }
    return new IValue(l);
  }
}
