package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/**
 * Ornstein–Uhlenbeck dx = −θx dt + s dW from x0 over [0, T]: exact mean x0 e^{−θT} and variance
 * s²(1 − e^{−2θT})/(2θ). Each linear scheme also has exact discrete moments: with x_{n+1} = a x_n + b ΔW,
 * mean aᴺx0 and variance b² h Σ_{k<N} a^{2k} (Euler–Maruyama: a = 1 − θh, b = s; stochastic Heun:
 * a = 1 − θh + θ²h²/2, b = s(1 − θh/2)). 20000 paths in one batch; tolerances are 4 Monte-Carlo
 * standard errors (plus the scheme's bias for the continuous moments).
 */
@SuppressWarnings("try")
class SdeIntegratorTest {
  private static final double THETA = 1.0;
  private static final double S = 0.8;
  private static final double X0 = 1.5;
  private static final double T = 1.0;
  private static final int PATHS = 20_000;
  private static final int STEPS = 100;

  @BeforeAll
  static void boot() {
    Torch.init();
  }

  private static StochasticField ou() {
    return new StochasticField() {
      @Override
      public Tensor at(double t, Tensor y) {
        return y.mul(Torch.scalar(-THETA));
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return Torch.tensor(new double[] {S}).to(y.scalar_type()); // a 0-dimensional g(t), broadcast against y
      }
    };
  }

  /** A float64 tensor of {@code shape} filled with {@code v}. */
  private static Tensor constant(double v, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    double[] data = new double[(int) n];
    java.util.Arrays.fill(data, v);
    return Torch.tensor(data, shape);
  }

  private static double[] grid(double from, double to, int n) {
    double[] ts = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      ts[i] = from + (to - from) * i / n;
    }
    return ts;
  }

  /** The solve on the grid {@code ts} through the one loop (StepTo), with or without noise on the last step. */
  private static Solution solve(Solver<StochasticField> scheme, StochasticField f, Tensor y0, double[] ts, Generator g,
      boolean noiseOnLastStep, SaveAt saveAt) {
    return Integrator.solve(f, y0, ts[0], ts[ts.length - 1], scheme, StepTo.grid(ts), new BrownianMotion(g, noiseOnLastStep),
        saveAt, ts.length - 1, null);
  }

  private static Solution solve(Solver<StochasticField> scheme, StochasticField f, Tensor y0, double[] ts, Generator g,
      boolean noiseOnLastStep) {
    return solve(scheme, f, y0, ts, g, noiseOnLastStep, SaveAt.finalOnly());
  }

  private static double[] meanVar(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x / v.length;
    }
    double var = 0;
    for (double x : v) {
      var += (x - m) * (x - m) / (v.length - 1);
    }
    return new double[] {m, var};
  }

  private static void checkOu(Solver<StochasticField> scheme, double a, double b, long nfePerStep) {
    double h = T / STEPS;
    double discreteMean = Math.pow(a, STEPS) * X0;
    double discreteVar = 0;
    for (int k = 0; k < STEPS; k++) {
      discreteVar += b * b * h * Math.pow(a, 2 * k);
    }
    double exactMean = X0 * Math.exp(-THETA * T);
    double exactVar = S * S * (1 - Math.exp(-2 * THETA * T)) / (2 * THETA);
    Generator g = Torch.generator(1234);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = constant(X0, PATHS, 1);
      Solution sol = solve(scheme, ou(), y0, grid(0, T, STEPS), g, true);
      assertEquals(nfePerStep * STEPS, sol.nfe());
      assertEquals(STEPS, sol.accepted());
      double[] mv = meanVar(Torch.toDoubles(sol.y()));
      double seMean = Math.sqrt(exactVar / PATHS);
      double seVar = exactVar * Math.sqrt(2.0 / (PATHS - 1));
      System.out.printf("%s: mean %.5f (discrete %.5f, exact %.5f, se %.5f), var %.5f (discrete %.5f, exact %.5f, se %.5f)%n",
          scheme.getClass().getSimpleName(), mv[0], discreteMean, exactMean, seMean, mv[1], discreteVar, exactVar, seVar);
      assertEquals(discreteMean, mv[0], 4 * seMean);
      assertEquals(discreteVar, mv[1], 4 * seVar);
      assertEquals(exactMean, mv[0], 4 * seMean + Math.abs(discreteMean - exactMean));
      assertEquals(exactVar, mv[1], 4 * seVar + Math.abs(discreteVar - exactVar));
    } finally {
      g.close();
    }
  }

  @Test
  void eulerMaruyamaMatchesOrnsteinUhlenbeckMoments() {
    double h = T / STEPS;
    checkOu(new EulerMaruyama(), 1 - THETA * h, S, 1);
  }

  @Test
  void stochasticHeunMatchesOrnsteinUhlenbeckMoments() {
    double h = T / STEPS;
    checkOu(new StochasticHeun(), 1 - THETA * h + THETA * THETA * h * h / 2, S * (1 - THETA * h / 2), 2);
  }

  /** Pure noise dx = s dW run backwards from t = 1 to 0: the increments still have variance s²|Δt|. */
  @Test
  void backwardsInTimeUsesTheMagnitudeOfTheStep() {
    StochasticField noise = new StochasticField() {
      @Override
      public Tensor at(double t, Tensor y) {
        return y.mul(Torch.scalar(0));
      }

      @Override
      public Tensor diffusion(double t, Tensor y) {
        return Torch.tensor(new double[] {S}).to(y.scalar_type());
      }
    };
    Generator g = Torch.generator(99);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = constant(X0, PATHS, 1);
      double[] mv = meanVar(Torch.toDoubles(solve(new EulerMaruyama(), noise, y0, grid(1, 0, 50), g, true).y()));
      double seVar = S * S * Math.sqrt(2.0 / (PATHS - 1));
      assertEquals(X0, mv[0], 4 * Math.sqrt(S * S / PATHS));
      assertEquals(S * S, mv[1], 4 * seVar);
    } finally {
      g.close();
    }
  }

  /** Without noise on the last (here the only) step, the result is the deterministic step exactly. */
  @Test
  void noiselessLastStepReturnsTheMean() {
    Generator g = Torch.generator(5);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = Torch.tensor(new double[] {1.0, -2.0, 0.5}, 3, 1);
      double h = 0.1;
      double[] em = Torch.toDoubles(solve(new EulerMaruyama(), ou(), y0, new double[] {0, h}, g, false).y());
      double[] heun = Torch.toDoubles(solve(new StochasticHeun(), ou(), y0, new double[] {0, h}, g, false).y());
      double a = 1 - THETA * h;
      double aHeun = 1 - THETA * h + THETA * THETA * h * h / 2;
      assertArrayEquals(new double[] {a, -2 * a, 0.5 * a}, em, 1e-15);
      assertArrayEquals(new double[] {aHeun, -2 * aHeun, 0.5 * aHeun}, heun, 1e-15);
    } finally {
      g.close();
    }
  }

  @Test
  void sameSeedReplaysAndSavesOnGridTimes() {
    Generator g1 = Torch.generator(42);
    Generator g2 = Torch.generator(42);
    try (PointerScope s = new PointerScope()) {
      Tensor y0 = constant(X0, 16, 2, 3);
      double[] ts = grid(0, 1, 10);
      Solution a = solve(new EulerMaruyama(), ou(), y0, ts, g1, true, SaveAt.times(0, 0.5, 1));
      Solution b = solve(new EulerMaruyama(), ou(), y0, ts, g2, true);
      assertArrayEquals(Torch.toDoubles(a.y()), Torch.toDoubles(b.y()), 0.0);
      assertEquals(3, a.ys().size());
      assertArrayEquals(Torch.toDoubles(y0), Torch.toDoubles(a.ys().get(0)), 0.0);
      assertArrayEquals(Torch.toDoubles(a.y()), Torch.toDoubles(a.ys().get(2)), 0.0);
      assertThrows(IllegalArgumentException.class,
          () -> solve(new EulerMaruyama(), ou(), y0, ts, g1, true, SaveAt.times(0.55)));
      assertThrows(IllegalArgumentException.class, () -> solve(new EulerMaruyama(), ou(), y0, new double[] {0, 0.5, 0.5}, g1, true));
    } finally {
      g1.close();
      g2.close();
    }
  }
}
