package org.sbgm.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.sde.SdeCases.Case;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class SdeMarginalsTest {
  static {
    Torch.init();
  }

  static java.util.List<Case> cases() {
    return SdeCases.all();
  }

  private static void close(double expected, double actual, double rel, String what) {
    assertTrue(Math.abs(expected - actual) <= rel * Math.max(1e-300, Math.abs(expected)) || expected == actual,
        what + ": expected " + expected + ", got " + actual);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void scalarAndTensorFormsMatchClosedForms(Case c) {
    double horizon = c.sde().horizon();
    double[] ts = {0, 1e-4 * horizon, 0.1 * horizon, 0.37 * horizon, 0.5 * horizon, 0.9 * horizon, horizon};
    try (PointerScope s = new PointerScope()) {
      Tensor t = Torch.tensor(ts, ts.length);
      double[] m = Torch.toDoubles(c.sde().meanCoefficient(t));
      double[] sigma = Torch.toDoubles(c.sde().marginalStd(t));
      double[] g = Torch.toDoubles(c.sde().diffusion(t));
      for (int i = 0; i < ts.length; i++) {
        double ti = ts[i];
        close(c.m().applyAsDouble(ti), c.sde().meanCoefficient(ti), 1e-12, c + " m(" + ti + ")");
        close(c.sigma().applyAsDouble(ti), c.sde().marginalStd(ti), 1e-9, c + " sigma(" + ti + ")");
        close(c.g().applyAsDouble(ti), c.sde().diffusion(ti), 1e-9, c + " g(" + ti + ")");
        close(c.sde().meanCoefficient(ti), m[i], 1e-14, c + " tensor m");
        close(c.sde().marginalStd(ti), sigma[i], 1e-14, c + " tensor sigma");
        close(c.sde().diffusion(ti), g[i], 1e-14, c + " tensor g");
      }
      assertEquals(c.priorStd(), c.sde().priorStd(), 1e-12 * c.priorStd());
      assertEquals(0.0, c.sde().marginalStd(0), 0.0, "sigma(0) must vanish");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void driftAndDiffusionAreConsistentWithTheKernel(Case c) {
    Sde sde = c.sde();
    double horizon = sde.horizon();
    double[] x = {0.7, -1.3, 2.1};
    try (PointerScope s = new PointerScope()) {
      Tensor xt = Torch.tensor(x, 1, 3);
      for (double frac : new double[] {0.05, 0.3, 0.5, 0.9}) {
        double t = frac * horizon;
        double h = 1e-5 * horizon;
        double var = sq(sde.marginalStd(t));
        double dVar = (sq(sde.marginalStd(t + h)) - sq(sde.marginalStd(t - h))) / (2 * h);
        double dLogM = (Math.log(sde.meanCoefficient(t + h)) - Math.log(sde.meanCoefficient(t - h))) / (2 * h);
        double g2 = sq(sde.diffusion(t));
        close(g2, dVar - 2 * dLogM * var, 1e-6, c + " g^2 = dsigma^2/dt - 2 dlnm/dt sigma^2 at t=" + t);
        double[] f = Torch.toDoubles(sde.drift(xt, t));
        double[] fTensor = Torch.toDoubles(sde.drift(xt, Torch.tensor(new double[] {t}, 1)));
        for (int i = 0; i < 3; i++) {
          assertEquals(dLogM * x[i], f[i], 1e-6 * Math.max(1, Math.abs(dLogM * x[i])), c + " f = dlnm/dt x at t=" + t);
          assertEquals(f[i], fTensor[i], 1e-14 * Math.max(1, Math.abs(f[i])), c + " tensor drift");
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void perSampleTimesAndFloat32(Case c) {
    Sde sde = c.sde();
    double horizon = sde.horizon();
    double[] ts = {0.2 * horizon, 0.6 * horizon, horizon};
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.tensor(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 2, 2);
      double[] f = Torch.toDoubles(sde.drift(x, Torch.tensor(ts, 3)));
      for (int b = 0; b < 3; b++) {
        double[] fb = Torch.toDoubles(sde.drift(x.select(0, b), ts[b]));
        for (int i = 0; i < 4; i++) {
          assertEquals(fb[i], f[4 * b + i], 1e-12 * Math.max(1, Math.abs(fb[i])));
        }
      }
      Tensor x32 = x.to(torch.ScalarType.Float);
      Tensor t32 = Torch.tensor(ts, DType.FLOAT32, 3);
      assertEquals(torch.ScalarType.Float, sde.drift(x32, Torch.tensor(ts, 3)).scalar_type().intern());
      double[] sigma32 = Torch.toDoubles(sde.marginalStd(t32));
      assertEquals(torch.ScalarType.Float, sde.marginalStd(t32).scalar_type().intern());
      for (int i = 0; i < 3; i++) {
        close(sde.marginalStd(ts[i]), sigma32[i], 2e-6, c + " float32 sigma");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void smallTimesKeepRelativeAccuracy() {
    // 1 - e^{-B} by subtraction loses ~5 digits at B = 1e-11; expm1 does not.
    double t = 1e-10;
    close(Math.sqrt(0.1 * t + 9.95 * t * t), new VpSde().marginalStd(t), 1e-9, "VP sigma(1e-10)");
    close(0.1 * t + 9.95 * t * t - sq(0.1 * t) / 2, new SubVpSde().marginalStd(t), 1e-9, "subVP sigma(1e-10)");
    double rate = Math.log(5000);
    close(0.01 * Math.sqrt(2 * rate * t), new VeSde().marginalStd(t), 1e-8, "VE sigma(1e-10)");
  }

  private static double sq(double v) {
    return v * v;
  }
}
