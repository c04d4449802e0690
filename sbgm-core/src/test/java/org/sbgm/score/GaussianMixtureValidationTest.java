package org.sbgm.score;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.Torch;

class GaussianMixtureValidationTest {
  static {
    Torch.init();
  }

  private static final double[][] I2 = {{1, 0}, {0, 1}};

  private static void rejects(Executable e, String... phrases) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String p : phrases) {
      assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' should mention '" + p + "'");
    }
  }

  @Test
  void badWeightsAreRejected() {
    rejects(() -> new GaussianMixture(new double[] {0.5, 0.4}, new double[][] {{0, 0}, {1, 1}}, new double[][][] {I2, I2}),
        "sum to 1", "0.9");
    rejects(() -> new GaussianMixture(new double[] {1.2, -0.2}, new double[][] {{0, 0}, {1, 1}}, new double[][][] {I2, I2}),
        "weights[1]", "-0.2");
    rejects(() -> new GaussianMixture(new double[0], new double[0][], new double[0][][]), "at least one weight");
    rejects(() -> new GaussianMixture(new double[] {Double.NaN}, new double[][] {{0, 0}}, new double[][][] {I2}), "NaN");
  }

  @Test
  void badCovariancesAreRejected() {
    rejects(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 2}, {2, 1}}}),
        "covariances[0]", "positive definite", "-1.0");
    rejects(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 1}, {1, 1}}}),
        "positive definite");
    rejects(() -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1, 1}},
        new double[][][] {I2, {{1, 0.3}, {0.2, 1}}}), "covariances[1]", "symmetric", "0.3");
    rejects(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 0}, {0, Double.POSITIVE_INFINITY}}}),
        "finite", "Infinity");
  }

  @Test
  void dimensionMismatchesAreRejected() {
    rejects(() -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1, 1, 1}}, new double[][][] {I2, I2}),
        "means[1]", "dimension 2", "3");
    rejects(() -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0, 0}}, new double[][][] {I2, I2}),
        "one mean per weight (2)", "1");
    rejects(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}),
        "covariances[0]", "2x2", "3 rows");
    rejects(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 0}, {0}}}),
        "covariances[0][1]", "2 entries", "1");
    rejects(() -> new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1, 1}}, new double[][][] {I2}),
        "one covariance per weight (2)");
    rejects(() -> new GaussianMixtureScore(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {I2}, null), "null SDE");
  }

  @Test
  void badCallsAreRejected() {
    GaussianMixtureScore oracle = new GaussianMixtureScore(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {I2}, new VpSde());
    try (PointerScope s = new PointerScope()) {
      rejects(() -> oracle.score(Torch.tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), 0.5), "[2, 3]", "2 values per sample");
      rejects(() -> oracle.score(Torch.tensor(new double[] {1, 2, 3, 4}, 2, 2), Torch.tensor(new double[] {0.1, 0.2, 0.3}, 3),
          Condition.NONE), "t must hold one value per sample (2)", "[3]");
      rejects(() -> oracle.logDensity(Torch.tensor(new double[] {1, 2}, 1, 2), Double.NaN), "finite", "NaN");
      rejects(() -> oracle.sample(0, Torch.generator(1), null), "at least 1", "0");
      rejects(() -> oracle.sample(3, null, null), "Generator");
    }
  }
}
