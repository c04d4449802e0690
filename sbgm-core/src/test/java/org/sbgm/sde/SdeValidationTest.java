package org.sbgm.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sbgm.torch.Torch;

class SdeValidationTest {
  static {
    Torch.init();
  }

  private static void rejects(Executable e, String... phrases) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String p : phrases) {
      assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' should mention '" + p + "'");
    }
  }

  @Test
  void badHyperParametersAreRejected() {
    rejects(() -> new VpSde(-0.1, 20), "betaMin", "-0.1");
    rejects(() -> new VpSde(5, 5), "betaMax", "greater than betaMin");
    rejects(() -> new SubVpSde(1, 0.5), "betaMax", "0.5");
    rejects(() -> new VpSde(0.1, 20, 0), "horizon", "0.0");
    rejects(() -> new VpSde(0.1, Double.NaN), "betaMax", "NaN");
    rejects(() -> new VeSde(0, 50), "sigmaMin", "0.0");
    rejects(() -> new VeSde(1, 1), "sigmaMax", "greater than sigmaMin");
    rejects(() -> new VeSde(0.01, 50, -1), "horizon", "-1.0");
    rejects(() -> new VpSde(null, 1), "beta schedule");
    rejects(() -> Sdes.parse("vpp"), "vp, subvp or ve", "'vpp'");
  }

  @Test
  void parseIsTheOneNameParserAndRejectsWithAnInputError() {
    org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
        () -> Sdes.parse("vpp"));
    assertEquals("the SDE must be one of vp, subvp or ve (sub-VP may also be written sub-vp or sub_vp), got 'vpp'",
        e.getMessage());
    assertEquals("subvp", Sdes.canonicalName(" Sub_VP "));
    org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class, () -> Sdes.parse(null));
    assertEquals(java.util.List.of("vp", "subvp", "ve"), Sdes.NAMES);
    assertInstanceOf(VpSde.class, Sdes.parse(Sdes.NAMES.get(0)));
    assertInstanceOf(SubVpSde.class, Sdes.parse(Sdes.NAMES.get(1)));
    assertInstanceOf(VeSde.class, Sdes.parse(Sdes.NAMES.get(2)));
    assertInstanceOf(SubVpSde.class, Sdes.parse("Sub_VP"));
  }

  @Test
  void parseNamesTheThreeSdes() {
    assertInstanceOf(VpSde.class, Sdes.parse("VP"));
    assertInstanceOf(SubVpSde.class, Sdes.parse("sub-vp"));
    assertInstanceOf(SubVpSde.class, Sdes.parse("subvp"));
    VeSde ve = assertInstanceOf(VeSde.class, Sdes.parse("ve"));
    assertEquals(50, ve.priorStd(), 1e-12);
    assertEquals(5, Sdes.ve(0.01, 5).priorStd(), 1e-12);
  }

  @Test
  void userSchedulesMatchTheBuiltInOnes() {
    VpSde builtIn = new VpSde(0.1, 20, 1);
    VpSde user = new VpSde(BetaSchedule.of(t -> 0.1 + 19.9 * t, t -> 0.1 * t + 9.95 * t * t), 1);
    VeSde veBuiltIn = new VeSde(0.01, 50);
    double r = Math.log(5000);
    VeSde veUser = new VeSde(SigmaSchedule.of(t -> 0.01 * Math.exp(r * t), t -> 0.01 * r * Math.exp(r * t)), 1);
    try (PointerScope s = new PointerScope()) {
      Tensor t = Torch.tensor(new double[] {0.01, 0.4, 1}, 3);
      assertClose(builtIn.marginalStd(t), user.marginalStd(t), 1e-14);
      assertClose(builtIn.diffusion(t), user.diffusion(t), 1e-14);
      assertClose(builtIn.meanCoefficient(t), user.meanCoefficient(t), 1e-14);
      assertClose(veBuiltIn.marginalStd(t), veUser.marginalStd(t), 1e-10);
      assertClose(veBuiltIn.diffusion(t), veUser.diffusion(t), 1e-12);
      assertEquals(veBuiltIn.priorStd(), veUser.priorStd(), 1e-10);
    }
  }

  @Test
  void inconsistentUserSchedulesAreRejected() {
    // B(t) = t² is not the integral of β(t) = t (that is t²/2).
    rejects(() -> new VpSde(BetaSchedule.of(t -> t, t -> t * t), 1), "do not match");
    rejects(() -> new SubVpSde(BetaSchedule.of(t -> 1 - 2 * t, t -> t - t * t), 1), "beta(", ">= 0");
    rejects(() -> new VpSde(BetaSchedule.of(t -> 1, t -> t + 1), 1), "0 at t = 0");
    rejects(() -> new VeSde(SigmaSchedule.of(t -> 1 + t, t -> 2), 1), "do not match");
    rejects(() -> new VeSde(SigmaSchedule.of(t -> 1 - 0.5 * t, t -> -0.5), 1), ">= 0");
    rejects(() -> new VeSde(SigmaSchedule.of(t -> t, t -> 1), 1), "sigma(0.0)", "> 0");
  }

  private static void assertClose(Tensor expected, Tensor actual, double rel) {
    double[] e = Torch.toDoubles(expected);
    double[] a = Torch.toDoubles(actual);
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], rel * Math.max(1, Math.abs(e[i])));
    }
  }
}
