package org.sbgm.sde;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** SDEs under test with their closed forms, written here independently of the library. */
final class SdeCases {
  record Case(String name, Sde sde, DoubleUnaryOperator m, DoubleUnaryOperator sigma, DoubleUnaryOperator g,
      double priorStd) {
    @Override
    public String toString() {
      return name;
    }
  }

  private SdeCases() {}

  static Case vp(double bMin, double bMax, double horizon) {
    DoubleUnaryOperator integral = t -> bMin * t + (bMax - bMin) * t * t / (2 * horizon);
    return new Case("VP(" + bMin + "," + bMax + ",T=" + horizon + ")", new VpSde(bMin, bMax, horizon),
        t -> Math.exp(-0.5 * integral.applyAsDouble(t)),
        t -> Math.sqrt(1 - Math.exp(-integral.applyAsDouble(t))),
        t -> Math.sqrt(bMin + (bMax - bMin) * t / horizon), 1);
  }

  static Case subVp(double bMin, double bMax, double horizon) {
    DoubleUnaryOperator integral = t -> bMin * t + (bMax - bMin) * t * t / (2 * horizon);
    return new Case("subVP(" + bMin + "," + bMax + ",T=" + horizon + ")", new SubVpSde(bMin, bMax, horizon),
        t -> Math.exp(-0.5 * integral.applyAsDouble(t)),
        t -> 1 - Math.exp(-integral.applyAsDouble(t)),
        t -> Math.sqrt((bMin + (bMax - bMin) * t / horizon) * (1 - Math.exp(-2 * integral.applyAsDouble(t)))), 1);
  }

  static Case ve(double sMin, double sMax, double horizon) {
    DoubleUnaryOperator sv = t -> sMin * Math.pow(sMax / sMin, t / horizon);
    return new Case("VE(" + sMin + "," + sMax + ",T=" + horizon + ")", new VeSde(sMin, sMax, horizon),
        t -> 1,
        t -> Math.sqrt(sv.applyAsDouble(t) * sv.applyAsDouble(t) - sMin * sMin),
        t -> sv.applyAsDouble(t) * Math.sqrt(2 * Math.log(sMax / sMin) / horizon), sMax);
  }

  /** Defaults and non-default hyper-parameters with T ≠ 1. */
  static List<Case> all() {
    return List.of(vp(0.1, 20, 1), subVp(0.1, 20, 1), ve(0.01, 50, 1), vp(0.05, 10, 2), subVp(0.2, 8, 0.5),
        ve(0.02, 5, 1.5));
  }
}
