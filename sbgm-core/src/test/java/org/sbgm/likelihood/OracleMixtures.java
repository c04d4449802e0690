package org.sbgm.likelihood;

import org.sbgm.measure.StudyMixtures;
import org.sbgm.score.GaussianMixture;

/** Mixtures with closed-form densities used as oracles by the likelihood and sampler tests. */
public final class OracleMixtures {
  private OracleMixtures() {}

  /** A 2-D, three-component mixture with correlated covariances (the measurements' {@link StudyMixtures#twoD()}). */
  public static GaussianMixture twoD() {
    return StudyMixtures.twoD();
  }

  /** A 4-D, two-component anisotropic mixture with non-diagonal covariances. */
  public static GaussianMixture fourD() {
    double[][] a = {
      {0.80, 0.30, 0.00, 0.10},
      {0.30, 0.40, 0.05, 0.00},
      {0.00, 0.05, 0.05, 0.01},
      {0.10, 0.00, 0.01, 1.50}
    };
    double[][] b = {
      {0.10, 0.00, 0.02, 0.00},
      {0.00, 1.20, 0.30, 0.00},
      {0.02, 0.30, 0.60, 0.10},
      {0.00, 0.00, 0.10, 0.20}
    };
    return new GaussianMixture(new double[] {0.6, 0.4},
        new double[][] {{1.0, -1.0, 0.5, 0.0}, {-1.5, 0.5, -0.5, 1.0}}, new double[][][] {a, b});
  }
}
