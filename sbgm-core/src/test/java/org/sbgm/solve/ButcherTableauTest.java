package org.sbgm.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ButcherTableauTest {
  private static final List<ButcherTableau> ALL = List.of(ButcherTableau.EULER, ButcherTableau.HEUN,
      ButcherTableau.MIDPOINT, ButcherTableau.RK4, ButcherTableau.BOSH3, ButcherTableau.DOPRI5, ButcherTableau.TSIT5);

  /** The quadrature conditions Σ b_i c_i^(q-1) = 1/q (q ≤ p) and Σ b_i a_ij c_j = 1/6 (p ≥ 3), for b and b̂. */
  @Test
  void builtInTableauxSatisfySimpleOrderConditions() {
    for (ButcherTableau t : ALL) {
      checkConditions(t.name(), t, t.b(), t.order());
      if (t.hasErrorEstimate()) {
        double[] bHat = t.b();
        double[] e = t.bError();
        for (int i = 0; i < bHat.length; i++) {
          bHat[i] -= e[i];
        }
        checkConditions(t.name() + " embedded", t, bHat, t.embeddedOrder());
      }
    }
  }

  private static void checkConditions(String label, ButcherTableau t, double[] b, int order) {
    double[] c = t.c();
    for (int q = 1; q <= order; q++) {
      double s = 0;
      for (int i = 0; i < c.length; i++) {
        s += b[i] * Math.pow(c[i], q - 1);
      }
      assertEquals(1.0 / q, s, 1e-12, label + ": sum b c^" + (q - 1));
    }
    if (order >= 3) {
      double s = 0;
      for (int i = 0; i < c.length; i++) {
        double[] ai = t.a(i);
        for (int j = 0; j < i; j++) {
          s += b[i] * ai[j] * c[j];
        }
      }
      assertEquals(1.0 / 6, s, 1e-12, label + ": sum b a c");
    }
  }

  @Test
  void tsit5HasExpectedShapeAndEmbeddedWeight() {
    ButcherTableau t = ButcherTableau.TSIT5;
    assertEquals(7, t.stages());
    assertTrue(t.fsal());
    assertEquals(-1.0 / 66, t.bError()[6], 1e-17);
    assertEquals(5, t.errorOrder());
    assertEquals(3, ButcherTableau.BOSH3.errorOrder());
  }

  @Test
  void rejectsRowThatDoesNotSumToNode() {
    double[][] a = {{}, {0.5}, {0, 0.5}, {0, 0, 1.01}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0, 0.5, 0.5, 1}, a, new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, null, 4, 0, false));
    assertTrue(e.getMessage().contains("row 3 of a sums to 1.01 but c[3] = 1.0"), e.getMessage());
  }

  @Test
  void rejectsWeightsNotSummingToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.6}, null, 2, 0, false));
    assertTrue(e.getMessage().contains("weights b sum to 1.1"), e.getMessage());
  }

  @Test
  void rejectsErrorWeightsNotSummingToZero() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5},
            new double[] {-0.5, 0.5 + 1e-9}, 2, 1, false));
    assertTrue(e.getMessage().contains("must sum to 0"), e.getMessage());
  }

  @Test
  void rejectsFalseFsalFlagAndNonExplicitRows() {
    IllegalArgumentException fsal = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5}, null, 2, 0, true));
    assertTrue(fsal.getMessage().contains("flagged FSAL"), fsal.getMessage());
    IllegalArgumentException implicit = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0, 1}, new double[][] {{}, {0.5, 0.5}}, new double[] {0.5, 0.5}, null, 2, 0, false));
    assertTrue(implicit.getMessage().contains("row 1 of a has 2 entries"), implicit.getMessage());
    IllegalArgumentException c0 = assertThrows(IllegalArgumentException.class,
        () -> new ButcherTableau("bad", new double[] {0.1}, new double[][] {{}}, new double[] {1}, null, 1, 0, false));
    assertTrue(c0.getMessage().contains("c[0] = 0.1"), c0.getMessage());
  }
}
