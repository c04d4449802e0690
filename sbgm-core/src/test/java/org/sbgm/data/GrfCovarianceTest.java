package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.score.GaussianMixture;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The GRF covariance matrix is the density's: a Gaussian with it gives the exact log-density, and fields have it. */
class GrfCovarianceTest {
  @Test
  void theCovarianceGivesTheExactLogDensity() {
    GaussianRandomField grf = new GaussianRandomField(GaussianRandomField.Config.fixed(6, 1.0, 3.0));
    double[][] cov = grf.covariance(1.0, 3.0);
    GaussianMixture gaussian = new GaussianMixture(new double[] {1}, new double[][] {new double[36]}, new double[][][] {cov});
    try (PointerScope scope = new PointerScope()) {
      Tensor fields = grf.sample(Torch.tensor(new double[] {1.0, 3.0, 1.0, 3.0, 1.0, 3.0}, DType.FLOAT64, 3, 2), Torch.generator(2));
      double[] exact = Torch.toDoubles(grf.logDensity(fields, 1.0, 3.0));
      double[] viaCov = Torch.toDoubles(gaussian.logDensity(fields.reshape(3, 36)));
      for (int i = 0; i < 3; i++) {
        assertEquals(exact[i], viaCov[i], 1e-8);
      }
    }
  }
}
