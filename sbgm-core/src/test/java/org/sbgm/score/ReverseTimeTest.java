package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.sde.Sde;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.LangevinField;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.Torch;

/** {@link ReverseTime}: the reverse-SDE and probability-flow drifts of a model against closed forms. */
class ReverseTimeTest {
  private static final double V0 = 0.3;

  static {
    Torch.init();
  }

  static List<Sde> sdes() {
    return List.of(new VpSde(), new SubVpSde(), new VeSde(), new VeSde(0.02, 5, 1.5));
  }

  /** The exact model of N(0, V0 I) data diffused by {@code sde}: score -x / (m² V0 + σ²). */
  private static DiffusionModel gaussianScore(Sde sde) {
    return DiffusionModel.of((x, t, c) -> {
      Tensor m = sde.meanCoefficient(t);
      Tensor s = sde.marginalStd(t);
      Tensor var = m.square().mul(Torch.scalar(V0)).add(s.square());
      return x.neg().div(Torch.perSample(var, x.dim()));
    }, sde);
  }

  private static double variance(Sde sde, double t) {
    double m = sde.meanCoefficient(t);
    double s = sde.marginalStd(t);
    return m * m * V0 + s * s;
  }

  @ParameterizedTest
  @MethodSource("sdes")
  void driftsAreFMinusGSquaredTimesTheScore(Sde sde) {
    DiffusionModel model = gaussianScore(sde);
    double t = 0.4 * sde.horizon();
    double[] x = {0.5, -1.0, 2.0, 0.25};
    try (PointerScope s = new PointerScope()) {
      Tensor xt = Torch.tensor(x, 2, 2);
      double[] rev = Torch.toDoubles(ReverseTime.reverseDrift(model, xt, t, Condition.NONE));
      double[] pf = Torch.toDoubles(ReverseTime.probabilityFlowDrift(model, xt, t, Condition.NONE));
      Tensor ts = Torch.tensor(new double[] {t, t}, 2);
      double[] revT = Torch.toDoubles(ReverseTime.reverseDrift(model, xt, ts, Condition.NONE));
      double[] pfT = Torch.toDoubles(ReverseTime.probabilityFlowDrift(model, xt, ts, null));
      double[] field = Torch.toDoubles(ReverseTime.probabilityFlow(model, Condition.NONE).at(t, xt));
      LangevinField reverse = ReverseTime.reverseSde(model, Condition.NONE);
      double[] sdeDrift = Torch.toDoubles(reverse.at(t, xt));
      double[] sdeScore = Torch.toDoubles(reverse.score(t, xt));
      assertEquals(sde.diffusion(t), Torch.toDoubles(reverse.diffusion(t, xt))[0], 0.0);
      assertEquals(sde.meanCoefficient(t), reverse.meanCoefficient(t), 0.0);
      double g2 = sde.diffusion(t) * sde.diffusion(t);
      double dLogM = (Math.log(sde.meanCoefficient(t + 1e-6)) - Math.log(sde.meanCoefficient(t - 1e-6))) / 2e-6;
      for (int i = 0; i < 4; i++) {
        double f = dLogM * x[i];
        double sc = -x[i] / variance(sde, t);
        double tol = 1e-7 * Math.max(1, g2 * Math.abs(sc));
        assertEquals(f - g2 * sc, rev[i], tol, sde + " reverse drift");
        assertEquals(f - 0.5 * g2 * sc, pf[i], tol, sde + " probability-flow drift");
        assertEquals(rev[i], revT[i], 1e-12 * Math.max(1, Math.abs(rev[i])));
        assertEquals(pf[i], pfT[i], 1e-12 * Math.max(1, Math.abs(pf[i])));
        assertEquals(pf[i], field[i], 0.0);
        assertEquals(rev[i], sdeDrift[i], 0.0);
        assertEquals(sc, sdeScore[i], 1e-12 * Math.max(1, Math.abs(sc)));
      }
    }
  }

  /**
   * For N(0, V0 I) data the probability-flow ODE is linear with x_t / x_0 = √(v_t / v_0),
   * v_t = m² V0 + σ²; RK4 from 0 to T must reproduce that ratio (the reverse drift would give v_t/v_0).
   */
  @ParameterizedTest
  @MethodSource("sdes")
  void probabilityFlowTransportsTheGaussianMarginals(Sde sde) {
    VectorField field = ReverseTime.probabilityFlow(gaussianScore(sde), Condition.NONE);
    int steps = 400;
    double h = sde.horizon() / steps;
    double[] x0 = {1.0, -0.7, 0.2};
    Tensor y = Torch.tensor(x0, 3, 1);
    y.retainReference();
    for (int n = 0; n < steps; n++) {
      double t = n * h;
      try (PointerScope s = new PointerScope()) {
        Tensor k1 = field.at(t, y);
        Tensor k2 = field.at(t + h / 2, y.add(k1.mul(Torch.scalar(h / 2))));
        Tensor k3 = field.at(t + h / 2, y.add(k2.mul(Torch.scalar(h / 2))));
        Tensor k4 = field.at(t + h, y.add(k3.mul(Torch.scalar(h))));
        Tensor next = y.add(k1.add(k2.mul(Torch.scalar(2))).add(k3.mul(Torch.scalar(2))).add(k4).mul(Torch.scalar(h / 6)));
        next.retainReference();
        y.releaseReference();
        y = next;
      }
    }
    double ratio = Math.sqrt(variance(sde, sde.horizon()) / variance(sde, 0));
    double[] yT = Torch.toDoubles(y);
    for (int i = 0; i < 3; i++) {
      assertEquals(ratio * x0[i], yT[i], 1e-7 * Math.abs(ratio * x0[i]), sde + ": x_T = sqrt(v_T/v_0) x_0");
    }
    y.releaseReference();
  }

  @org.junit.jupiter.api.Test
  void nullArgumentsAreRejected() {
    assertThrows(NullPointerException.class, () -> ReverseTime.probabilityFlow(null, Condition.NONE));
    assertThrows(NullPointerException.class, () -> ReverseTime.reverseSde(null, Condition.NONE));
    assertThrows(IllegalArgumentException.class, () -> DiffusionModel.of(null, new VpSde()));
    assertThrows(IllegalArgumentException.class, () -> DiffusionModel.of((x, t, c) -> x, null));
  }
}
