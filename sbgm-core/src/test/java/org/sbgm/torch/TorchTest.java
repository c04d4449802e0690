package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;

class TorchTest {
  @Test
  void roundTripsValuesAndShapes() {
    Torch.init();
    try (PointerScope s = new PointerScope()) {
      double[] v = {1.5, -2.0, 3.25, 4.0, 5.0, 6.125};
      Tensor t = Torch.tensor(v, 2, 3);
      assertArrayEquals(new long[] {2, 3}, Torch.shape(t));
      assertArrayEquals(v, Torch.toDoubles(t), 0.0);
      assertArrayEquals(new double[] {5.5, 3.0, 9.375}, Torch.toDoubles(Torch.sumPerSample(t.t().contiguous()).narrow(0, 0, 3)), 0.0);
      Tensor f = Torch.tensor(v, DType.FLOAT32, 6);
      assertEquals(torch.ScalarType.Float, f.scalar_type().intern());
    }
  }

  @Test
  void seededGeneratorsReplayAndDiffer() {
    Generator a = Torch.generator(7);
    Generator b = Torch.generator(7);
    Generator c = Torch.generator(8);
    try (PointerScope s = new PointerScope()) {
      double[] x = Torch.toDoubles(Torch.randn(new long[] {5}, a, Torch.options(DType.FLOAT64)));
      double[] y = Torch.toDoubles(Torch.randn(new long[] {5}, b, Torch.options(DType.FLOAT64)));
      double[] z = Torch.toDoubles(Torch.randn(new long[] {5}, c, Torch.options(DType.FLOAT64)));
      assertArrayEquals(x, y, 0.0);
      assertNotEquals(x[0], z[0]);
    }
  }

  @Test
  void autogradGradientOfCubeIsThreeXSquared() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.tensor(new double[] {1, 2, 3}, 3).requires_grad_(true);
      Tensor y = x.pow(Torch.scalar(3)).sum();
      TensorVector g = torch.grad(new TensorVector(y), new TensorVector(x));
      assertArrayEquals(new double[] {3, 12, 27}, Torch.toDoubles(g.get(0)), 1e-12);
    }
  }

  @Test
  void theThreadPropertyIsAWholeNumberOrTheCores() {
    assertEquals(6, Torch.defaultThreads(null, 6));
    assertEquals(3, Torch.defaultThreads("3", 6));
    assertEquals(3, Torch.defaultThreads(" 3 ", 6));
    for (String bad : new String[] {"0", "-2", "two", "", "1.5"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Torch.defaultThreads(bad, 6));
      assertEquals("the system property sbgm.threads must be a whole number of at least 1, got '" + bad + "'", e.getMessage());
    }
  }

  @Test
  void openMpThreadsAreOneUnlessTheWaitPolicyIsSet() {
    // unset: libtorch's idle OpenMP threads would spin against OpenBLAS's, so only the products get n threads
    assertEquals(1, Torch.intraOpThreads(4, null));
    assertEquals(1, Torch.intraOpThreads(4, " "));
    assertEquals(4, Torch.intraOpThreads(4, "PASSIVE"));
    assertEquals(4, Torch.intraOpThreads(4, "active"));
    assertEquals(1, Torch.intraOpThreads(1, "PASSIVE"));
    int before = Torch.threads();
    try {
      Torch.setThreads(2);
      assertEquals(2, Torch.threads());
      assertEquals(2, Torch.matrixThreads());
      assertEquals(Torch.intraOpThreads(2, System.getenv("OMP_WAIT_POLICY")), Torch.intraOpThreads());
      Torch.setThreads(1);
      assertEquals(1, Torch.intraOpThreads());
      assertEquals(1, Torch.matrixThreads());
    } finally {
      Torch.setThreads(before);
    }
  }

  @Test
  void moreThreadsThanCoresAreLoweredToTheCores() {
    assertEquals(2, Torch.clampThreads(100_000, 2));
    assertEquals(2, Torch.clampThreads(2, 2));
    assertEquals(1, Torch.clampThreads(1, 8));
    assertEquals(1, Torch.clampThreads(3, 0));
    int cores = Runtime.getRuntime().availableProcessors();
    int before = Torch.threads();
    try {
      Torch.setThreads(100_000);
      assertEquals(cores, Torch.threads());
      assertEquals(cores, Torch.matrixThreads());
    } finally {
      Torch.setThreads(before);
    }
  }

  @Test
  void rejectsMismatchedShape() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Torch.tensor(new double[] {1, 2, 3}, 2, 2));
    assertEquals("shape [2, 2] holds 4 values, but 3 were given", e.getMessage());
  }
}
