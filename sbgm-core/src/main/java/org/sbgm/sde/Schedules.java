package org.sbgm.sde;

import java.util.function.DoubleUnaryOperator;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/** Package-private helpers shared by the schedules and the SDEs: elementwise maps, checks, quadrature. */
final class Schedules {
  /** Grid points used to check a user-supplied schedule over [0, T]. */
  static final int CHECK_INTERVALS = 2000;

  private Schedules() {}

  /**
   * Applies a scalar function elementwise through a float64 copy on the CPU; the result has the dtype
   * and device of {@code t}. Used only for user-supplied schedules given as Java functions.
   */
  static Tensor map(Tensor t, DoubleUnaryOperator f) {
    Tensor cpu = t.detach().to(new Device(torch.DeviceType.CPU), torch.ScalarType.Double).contiguous();
    double[] v = Torch.toDoubles(cpu);
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(v[i]);
    }
    return Torch.tensor(v, Torch.shape(t)).to(t.device(), t.scalar_type());
  }

  /** A per-sample coefficient {@code [B]} viewed as {@code [B, 1, ..., 1]} in the dtype and device of {@code x}. */
  static Tensor perSample(Tensor coefficient, Tensor x) {
    return Torch.perSample(coefficient, x.dim()).to(x.device(), x.scalar_type());
  }


  /** Throws unless {@code value} is finite and strictly positive. */
  static double positive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new org.sbgm.InvalidInputException(name + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  /** Throws unless {@code value} is finite and non-negative. */
  static double nonNegative(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new org.sbgm.InvalidInputException(name + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  /** Composite Simpson rule for ∫_a^b f with {@code n} (even) intervals. */
  static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
    double h = (b - a) / n;
    double s = f.applyAsDouble(a) + f.applyAsDouble(b);
    for (int i = 1; i < n; i++) {
      s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
    }
    return s * h / 3;
  }

  /** Throws unless {@code integral} is, to 1e-4 relative accuracy, ∫_0^T {@code rate}. */
  static void checkAntiderivative(String what, DoubleUnaryOperator rate, DoubleUnaryOperator integral,
      double at0, double horizon) {
    for (int i = 0; i <= 4; i++) {
      double t = horizon * i / 4;
      double expected = at0 + simpson(rate, 0, t, CHECK_INTERVALS);
      double got = integral.applyAsDouble(t);
      if (!(Math.abs(got - expected) <= 1e-4 * Math.max(1, Math.abs(expected)))) {
        throw new org.sbgm.InvalidInputException(what + " at t = " + t + " is " + got
            + " but the quadrature of its rate gives " + expected + "; the two functions do not match");
      }
    }
  }
}
