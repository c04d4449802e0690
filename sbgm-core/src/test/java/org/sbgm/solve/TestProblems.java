package org.sbgm.solve;

import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/** Reference problems with closed-form solutions, batched as [B, 2]. */
final class TestProblems {
  private TestProblems() {}

  /** Initial (position, velocity) per sample of the forced oscillator. */
  static final double[][] OSC0 = {{1.0, 0.0}, {-0.5, 1.0}, {2.0, -1.0}, {0.0, 0.5}};

  /**
   * The forced harmonic oscillator x'' + x = cos 2t as a first-order system on a [B, 2] state
   * (x, v): F(t, y) = y·[[0, −1], [1, 0]] + (0, cos 2t).
   */
  static VectorField forcedOscillator() {
    return (t, y) -> {
      Tensor m = Torch.tensor(new double[] {0, -1, 1, 0}, 2, 2).to(y.scalar_type());
      Tensor forcing = Torch.tensor(new double[] {0, Math.cos(2 * t)}, 1, 2).to(y.scalar_type());
      return y.matmul(m).add(forcing);
    };
  }

  /** x = (x0 + 1/3) cos t + v0 sin t − cos(2t)/3, v = x'. */
  static double[] oscillatorExact(double t) {
    double[] out = new double[OSC0.length * 2];
    for (int i = 0; i < OSC0.length; i++) {
      double a = OSC0[i][0] + 1.0 / 3;
      double b = OSC0[i][1];
      out[2 * i] = a * Math.cos(t) + b * Math.sin(t) - Math.cos(2 * t) / 3;
      out[2 * i + 1] = -a * Math.sin(t) + b * Math.cos(t) + 2 * Math.sin(2 * t) / 3;
    }
    return out;
  }

  static Tensor oscillatorY0() {
    return Torch.tensor(flatten(OSC0), OSC0.length, 2);
  }

  /** Initial values (a, b) per sample: a for the Riccati part, b for the logistic part. */
  static final double[][] NL0 = {{0.5, 0.1}, {1.0, 0.5}, {0.3, 0.9}, {0.8, 0.2}};

  /**
   * Two nonlinear scalar problems side by side on a [B, 2] state: y_a' = −2t y_a² (non-autonomous
   * Riccati) and y_b' = y_b(1 − y_b) (logistic).
   */
  static VectorField nonlinear() {
    return (t, y) -> {
      Tensor maskA = Torch.tensor(new double[] {1, 0}, 1, 2).to(y.scalar_type());
      Tensor maskB = Torch.tensor(new double[] {0, 1}, 1, 2).to(y.scalar_type());
      Tensor a = y.square().mul(Torch.scalar(-2 * t)).mul(maskA);
      Tensor b = y.mul(y.neg().add(Torch.scalar(1))).mul(maskB);
      return a.add(b);
    };
  }

  /** y_a = 1/(1/a + t²), y_b = 1/(1 + (1/b − 1)e^{−t}). */
  static double[] nonlinearExact(double t) {
    double[] out = new double[NL0.length * 2];
    for (int i = 0; i < NL0.length; i++) {
      out[2 * i] = 1 / (1 / NL0[i][0] + t * t);
      out[2 * i + 1] = 1 / (1 + (1 / NL0[i][1] - 1) * Math.exp(-t));
    }
    return out;
  }

  static Tensor nonlinearY0() {
    return Torch.tensor(flatten(NL0), NL0.length, 2);
  }

  static double[] flatten(double[][] rows) {
    double[] v = new double[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, v, i * rows[i].length, rows[i].length);
    }
    return v;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Least-squares slope of log(err) against log(h). */
  static double slope(double[] h, double[] err) {
    int n = h.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += Math.log(h[i]) / n;
      my += Math.log(err[i]) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = Math.log(h[i]) - mx;
      sxy += dx * (Math.log(err[i]) - my);
      sxx += dx * dx;
    }
    return sxy / sxx;
  }
}
