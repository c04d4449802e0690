package org.sbgm.solve;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/** The fixed-grid loop shared by the SDE schemes: noise, saving, scopes, counting and checks. */
final class SdeLoop {
  private SdeLoop() {}

  /** One step of a scheme: the state at t + h from y, given the Brownian increment dW (null: none). */
  interface Rule {
    Tensor step(StochasticField f, double t, Tensor y, double h, Tensor dW);
  }

  @SuppressWarnings("try")
  static Solution run(String scheme, Rule rule, StochasticField f, Tensor y0, double[] ts, Generator g,
      boolean noiseOnLastStep, SaveAt saveAt, StepObserver observer) {
    if (f == null || y0 == null || ts == null || g == null || saveAt == null) {
      throw new IllegalArgumentException(scheme + " needs a field, an initial state, a time grid, a generator and a SaveAt; one was null.");
    }
    checkGrid(ts);
    Torch.init();
    int n = ts.length - 1;
    double[] saveTs = saveAt.resolve(ts[0], ts[n]);
    int[] saveIdx = gridIndices(saveTs, ts);
    long[] nfe = {0};
    StochasticField counted = new StochasticField() {
      @Override
      public Tensor drift(double t, Tensor y) {
        nfe[0]++;
        return f.drift(t, y);
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return f.diffusion(t, y);
      }
    };
    PointerScope outer = PointerScope.getInnerScope();
    List<Tensor> saved = new ArrayList<>();
    Tensor y = null;
    boolean done = false;
    try {
      try (PointerScope s = new PointerScope()) {
        y = Integrator.retain(y0.clone());
      }
      int next = 0;
      while (next < saveIdx.length && saveIdx[next] == 0) {
        saved.add(Integrator.retain(y));
        next++;
      }
      for (int i = 0; i < n; i++) {
        double h = ts[i + 1] - ts[i];
        try (PointerScope s = new PointerScope()) {
          Tensor dW = (i < n - 1 || noiseOnLastStep) ? noiseLike(y, g).mul(Torch.scalar(Math.sqrt(Math.abs(h)))) : null;
          Tensor yNew = rule.step(counted, ts[i], y, h, dW);
          if (!Torch.allFinite(yNew)) {
            throw new IntegrationException("The state became non-finite (NaN or infinity) in " + scheme + " step " + i
                + " of size " + h, ts[i], nfe[0]);
          }
          Integrator.retain(yNew);
          Integrator.release(y);
          y = yNew;
          while (next < saveIdx.length && saveIdx[next] == i + 1) {
            saved.add(Integrator.retain(y));
            next++;
          }
          if (observer != null) {
            observer.handleStep(ts[i + 1], y, h);
          }
        }
      }
      Solution sol = new Solution(y, saveTs, saved, nfe[0], n, 0, Solution.Status.SUCCESS);
      done = true;
      Integrator.handOver(outer, y, saved);
      return sol;
    } finally {
      if (!done) {
        Integrator.release(y);
        for (Tensor t : saved) {
          Integrator.release(t);
        }
      }
    }
  }

  /** Standard normal noise shaped like y, drawn with g (on the CPU and moved when g is a CPU generator and y is not). */
  static Tensor noiseLike(Tensor y, Generator g) {
    if (g.device().is_cuda() == y.device().is_cuda()) {
      return Torch.randnLike(y, g);
    }
    return torch.randn(Torch.shape(y), new GeneratorOptional(g), new TensorOptions(y.scalar_type())).to(y);
  }

  private static void checkGrid(double[] ts) {
    if (ts.length < 2) {
      throw new IllegalArgumentException("An SDE time grid needs at least two points, got " + ts.length + ".");
    }
    double dir = Math.signum(ts[1] - ts[0]);
    for (int i = 0; i < ts.length; i++) {
      if (!Double.isFinite(ts[i])) {
        throw new IllegalArgumentException("SDE grid time " + i + " is " + ts[i] + "; times must be finite.");
      }
      if (i > 0 && !(dir * (ts[i] - ts[i - 1]) > 0)) {
        throw new IllegalArgumentException("The SDE time grid must be strictly monotone, but ts[" + i + "] = " + ts[i]
            + " follows ts[" + (i - 1) + "] = " + ts[i - 1] + ".");
      }
    }
  }

  /** The grid index of each save time; a save time must be a grid point (within 1e-12 of the span). */
  private static int[] gridIndices(double[] saveTs, double[] ts) {
    double tol = 1e-12 * Math.abs(ts[ts.length - 1] - ts[0]);
    int[] idx = new int[saveTs.length];
    int j = 0;
    for (int i = 0; i < saveTs.length; i++) {
      while (j < ts.length && Math.abs(ts[j] - saveTs[i]) > tol) {
        j++;
      }
      if (j == ts.length) {
        throw new IllegalArgumentException("Save time " + saveTs[i] + " is not a point of the SDE time grid; fixed-grid schemes save only at grid times.");
      }
      idx[i] = j;
    }
    return idx;
  }
}
