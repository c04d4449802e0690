package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class TransformTest {
  static {
    Torch.init();
  }

  /** log |det J| of the central finite-difference Jacobian of T at one sample x [1, ...]. */
  static double finiteDifferenceLogDet(Transform t, Tensor x) {
    double[] x0 = Torch.toDoubles(x);
    long[] shape = Torch.shape(x);
    int d = x0.length;
    double h = 1e-5;
    double[][] jac = new double[d][d];
    for (int j = 0; j < d; j++) {
      double[] plus = x0.clone();
      double[] minus = x0.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] fp = Torch.toDoubles(t.forward(Torch.tensor(plus, shape)));
      double[] fm = Torch.toDoubles(t.forward(Torch.tensor(minus, shape)));
      for (int i = 0; i < d; i++) {
        jac[i][j] = (fp[i] - fm[i]) / (2 * h);
      }
    }
    return logAbsDet(jac);
  }

  /** log |det A| by Gaussian elimination with partial pivoting. */
  static double logAbsDet(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    double s = 0;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] tmp = m[c];
      m[c] = m[p];
      m[p] = tmp;
      s += Math.log(Math.abs(m[c][c]));
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / m[c][c];
        for (int k = c; k < n; k++) {
          m[r][k] -= f * m[c][k];
        }
      }
    }
    return s;
  }

  static void assertInvertibleWithFiniteDifferenceJacobian(Transform t, Tensor x) {
    assertArrayEquals(Torch.toDoubles(x), Torch.toDoubles(t.inverse(t.forward(x))), 1e-12);
    double[] ld = Torch.toDoubles(t.logAbsDetJacobian(x));
    assertEquals(x.size(0), ld.length);
    for (int b = 0; b < x.size(0); b++) {
      assertEquals(finiteDifferenceLogDet(t, x.narrow(0, b, 1)), ld[b], 1e-7);
    }
  }

  @Test
  void standardizeFitsPerFeatureMomentsAndObeysTheChangeOfVariables() {
    try (PointerScope s = new PointerScope()) {
      double[] mu = {3, -1, 0.5};
      double[] sd = {2, 0.1, 7};
      Tensor z = Torch.randn(new long[] {4000, 3}, Torch.generator(1), Torch.options(DType.FLOAT64));
      Tensor x = z.mul(Torch.tensor(sd, 1, 3)).add(Torch.tensor(mu, 1, 3));
      Standardize st = Standardize.fit(x);
      for (int c = 0; c < 3; c++) {
        assertEquals(mu[c], st.mean()[c], 4 * sd[c] / Math.sqrt(4000));
        assertEquals(sd[c], st.std()[c], 4 * sd[c] / Math.sqrt(2 * 4000));
      }
      Tensor y = st.forward(x);
      assertArrayEquals(new double[] {0, 0, 0}, Torch.toDoubles(y.mean(0)), 1e-12);
      assertArrayEquals(new double[] {1, 1, 1}, Torch.toDoubles(y.std(new long[] {0}, false, false)), 1e-12);
      assertInvertibleWithFiniteDifferenceJacobian(st, x.narrow(0, 0, 4));
      // log N(x; mu, s^2) = log N(T(x); 0, I) + log|det J| for the exact moments
      Standardize exact = new Standardize(mu, sd);
      Tensor v = x.narrow(0, 0, 5);
      double[] lhs = new double[5];
      double[] xv = Torch.toDoubles(v);
      for (int b = 0; b < 5; b++) {
        for (int c = 0; c < 3; c++) {
          double u = (xv[3 * b + c] - mu[c]) / sd[c];
          lhs[b] += -0.5 * u * u - Math.log(sd[c]) - 0.5 * Math.log(2 * Math.PI);
        }
      }
      Tensor yv = exact.forward(v);
      Tensor logpy = Torch.sumPerSample(yv.mul(yv)).mul(Torch.scalar(-0.5)).sub(Torch.scalar(1.5 * Math.log(2 * Math.PI)));
      assertArrayEquals(lhs, Torch.toDoubles(logpy.add(exact.logAbsDetJacobian(v))), 1e-12);
    }
  }

  @Test
  void affineComposeAndImageScalingMatchFiniteDifferenceJacobians() {
    try (PointerScope s = new PointerScope()) {
      Tensor img = Torch.randn(new long[] {2, 3, 2, 2}, Torch.generator(2), Torch.options(DType.FLOAT64));
      Affine perChannel = new Affine(new double[] {2, -0.5, 3}, new double[] {1, 0, -2});
      assertInvertibleWithFiniteDifferenceJacobian(perChannel, img);
      assertEquals(4 * Math.log(3), perChannel.logAbsDetJacobian(img).get(0).item_double(), 1e-12);
      assertInvertibleWithFiniteDifferenceJacobian(Affine.of(-0.25, 4), img);
      Tensor x = Torch.randn(new long[] {3, 2}, Torch.generator(3), Torch.options(DType.FLOAT64));
      Transform chain = new Standardize(new double[] {1, 2}, new double[] {0.5, 4}).andThen(new Affine(new double[] {3, 3}, new double[] {0, 1}));
      assertInvertibleWithFiniteDifferenceJacobian(chain, x);
      Tensor levels = Torch.tensor(new double[] {0, 17, 128, 255, 3, 99}, 2, 3);
      UniformDequantize mid = UniformDequantize.midpoint(DType.FLOAT64);
      assertEquals(finiteDifferenceLogDet(mid, levels.narrow(0, 0, 1)), mid.logAbsDetJacobian(levels).get(0).item_double(), 1e-7);
      assertEquals(3 * Math.log(2.0 / 256), mid.logAbsDetJacobian(levels).get(1).item_double(), 1e-12);
      assertThrows(InvalidInputException.class, () -> perChannel.forward(x));
    }
  }

  @Test
  void dequantisationMapsLevelsIntoTheirBinsAndBack() {
    try (PointerScope s = new PointerScope()) {
      Tensor levels = torch.arange(Torch.scalar(256), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Byte)).reshape(4, 64);
      UniformDequantize dq = new UniformDequantize(Torch.generator(4), DType.FLOAT32);
      Tensor y = dq.forward(levels);
      assertEquals(torch.ScalarType.Float, y.scalar_type().intern());
      assertTrue(y.min().item_double() >= -1 && y.max().item_double() < 1);
      assertArrayEquals(Torch.toDoubles(levels), Torch.toDoubles(dq.inverse(y)), 0.0);
      double[] yv = Torch.toDoubles(y);
      double meanU = 0;
      for (int i = 0; i < 256; i++) {
        double u = (yv[i] + 1) * 128 - i;
        assertTrue(u >= 0 && u < 1, "u = " + u);
        meanU += u / 256;
      }
      assertEquals(0.5, meanU, 5 * Math.sqrt(1.0 / 12 / 256));
      assertArrayEquals(Torch.toDoubles(levels), Torch.toDoubles(dq.inverse(UniformDequantize.midpoint(DType.FLOAT64).forward(levels))), 0.0);
    }
  }

  @Test
  void bitsPerDimOfUniformBytesIsEight() {
    try (PointerScope s = new PointerScope()) {
      long d = 3 * 4 * 4;
      // y uniform on [-1, 1]^D has log p_y = -D ln 2: storing uniform bytes costs 8 bits/dim
      Tensor logpy = Torch.tensor(new double[] {-d * Math.log(2), -d * Math.log(2) - 10}, 2);
      double[] bpd = Torch.toDoubles(BitsPerDim.of(logpy, d));
      assertEquals(8.0, bpd[0], 1e-12);
      assertEquals(8.0 + 10 / (d * Math.log(2)), bpd[1], 1e-12);
      assertEquals(8.0, BitsPerDim.of(-d * Math.log(2), d), 1e-12);
      Tensor x = torch.zeros(new long[] {2, 3, 4, 4}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Byte));
      assertArrayEquals(bpd, Torch.toDoubles(BitsPerDim.withTransform(logpy, UniformDequantize.midpoint(DType.FLOAT64), x)), 1e-12);
      assertThrows(InvalidInputException.class, () -> BitsPerDim.of(logpy, 0));
    }
  }

  @Test
  void horizontalFlipMirrorsTheWidthOfTheChosenImages() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {400, 1, 2, 3}, Torch.generator(5), Torch.options(DType.FLOAT64));
      assertArrayEquals(Torch.toDoubles(x.flip(-1)), Torch.toDoubles(new RandomHorizontalFlip(1).apply(x, Torch.generator(1))), 0.0);
      assertArrayEquals(Torch.toDoubles(x), Torch.toDoubles(new RandomHorizontalFlip(0).apply(x, Torch.generator(1))), 0.0);
      Tensor y = new RandomHorizontalFlip(0.5).apply(x, Torch.generator(6));
      int flipped = 0;
      for (int b = 0; b < 400; b++) {
        boolean same = torch.equal(y.get(b), x.get(b));
        boolean mirrored = torch.equal(y.get(b), x.get(b).flip(-1));
        assertTrue(same ^ mirrored);
        flipped += mirrored ? 1 : 0;
      }
      assertEquals(200, flipped, 5 * 10);
    }
  }
}
