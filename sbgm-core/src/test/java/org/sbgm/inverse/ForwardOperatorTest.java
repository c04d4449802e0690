package org.sbgm.inverse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The operators are linear maps with their adjoints, as dense matrices, and refuse what does not fit. */
class ForwardOperatorTest {
  static {
    Torch.init();
  }

  static Stream<Arguments> operators() {
    long[] img = {2, 6, 8};
    double[] m = new double[2 * 6 * 8];
    for (int i = 0; i < m.length; i++) {
      m[i] = i % 3 == 0 ? 0 : 1;
    }
    return Stream.of(
        Arguments.of("mask", new Mask(Torch.tensor(m, DType.FLOAT64, img))),
        Arguments.of("blur image", new GaussianBlur(img, 1.3)),
        Arguments.of("blur vector", new GaussianBlur(new long[] {9}, 0.7)),
        Arguments.of("downsample image", new Downsample(img, 2)),
        Arguments.of("downsample vector", new Downsample(new long[] {12}, 3)),
        Arguments.of("matrix", new DenseMatrix(Torch.randn(new long[] {5, 96}, Torch.generator(1), Torch.options(DType.FLOAT64)), img)),
        Arguments.of("scaled blur", new ScaledInput(new GaussianBlur(img, 1.0),
            Torch.tensor(new double[] {2, 0.5}, DType.FLOAT64, 2, 1, 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void theAdjointIsTheTransposeAndTheMatrixIsTheMap(String name, ForwardOperator a) {
    try (PointerScope scope = new PointerScope()) {
      Generator g = Torch.generator(7);
      Tensor x = Torch.randn(ForwardOperator.prepend(a.inputShape()), g, Torch.options(DType.FLOAT64)).expand(batch(a.inputShape(), 3)).contiguous()
          .add(Torch.randn(batch(a.inputShape(), 3), g, Torch.options(DType.FLOAT64)));
      Tensor y = Torch.randn(batch(a.outputShape(), 3), g, Torch.options(DType.FLOAT64));
      double[] lhs = Torch.toDoubles(Torch.sumPerSample(a.apply(x).mul(y)));
      double[] rhs = Torch.toDoubles(Torch.sumPerSample(x.mul(a.adjoint(y))));
      assertArrayEquals(lhs, rhs, 1e-10, name + ": <Ax, y> = <x, A^T y>");
      Tensor matrix = a.matrix();
      assertArrayEquals(new long[] {a.outputSize(), a.inputSize()}, Torch.shape(matrix));
      double[] viaMatrix = Torch.toDoubles(x.reshape(3, -1).matmul(matrix.t()));
      assertArrayEquals(viaMatrix, Torch.toDoubles(a.apply(x).reshape(3, -1)), 1e-10, name + ": the dense matrix is the map");
      assertEquals(0, Torch.toDoubles(a.apply(x.to(DType.FLOAT32.scalarType())).sub(a.apply(x)).abs().max())[0], 1e-4,
          name + ": float32 input");
    }
  }

  private static long[] batch(long[] shape, long b) {
    long[] s = ForwardOperator.prepend(shape);
    s[0] = b;
    return s;
  }

  @Test
  void theBlurAveragesAndTheDownsamplerPools() {
    try (PointerScope scope = new PointerScope()) {
      long[] img = {1, 16, 16};
      Tensor ones = Torch.full(new long[] {1, 1, 16, 16}, 1, Torch.options(DType.FLOAT64));
      double[] blurred = Torch.toDoubles(new GaussianBlur(img, 1.0).apply(ones));
      assertEquals(1.0, blurred[8 * 16 + 8], 1e-12, "the kernel sums to 1 away from the border");
      assertTrue(blurred[0] < 0.9, "zero padding darkens the corner");
      double[] v = new double[16 * 16];
      for (int i = 0; i < v.length; i++) {
        v[i] = i;
      }
      Tensor x = Torch.tensor(v, DType.FLOAT64, 1, 1, 16, 16);
      double[] pooled = Torch.toDoubles(new Downsample(img, 4).apply(x));
      assertEquals(16, pooled.length);
      assertEquals((0 + 3 + 48 + 51) / 4.0, pooled[0], 1e-12); // the mean of a 4 x 4 block is the mean of its corners
    }
  }

  @Test
  void badOperatorsAndObservationsAreRefusedInOneSentence() {
    long[] img = {1, 4, 4};
    double[] half = new double[16];
    half[3] = 0.5;
    assertEquals("a mask must hold only 0 (unobserved) and 1 (observed), but entry 3 is 0.5",
        assertThrows(InvalidInputException.class, () -> new Mask(Torch.tensor(half, DType.FLOAT64, img))).getMessage());
    assertThrows(InvalidInputException.class, () -> new Mask(Torch.tensor(new double[16], DType.FLOAT64, img)));
    assertThrows(InvalidInputException.class, () -> new GaussianBlur(img, -1));
    assertEquals("the downsampling factor 3 does not divide the size 4 of the signal [1, 4, 4]",
        assertThrows(InvalidInputException.class, () -> new Downsample(img, 3)).getMessage());
    assertThrows(InvalidInputException.class,
        () -> new DenseMatrix(Torch.randn(new long[] {3, 15}, Torch.generator(1), Torch.options(DType.FLOAT64)), img));
    GaussianBlur blur = new GaussianBlur(img, 1);
    assertEquals("the observation has shape [1, 5, 4], but the operator (Gaussian blur (sigma 1.0 px, shape [1, 4, 4])) "
        + "produces [1, 4, 4]", assertThrows(InvalidInputException.class,
            () -> new Observation(blur, Torch.full(new long[] {1, 5, 4}, 0, Torch.options(DType.FLOAT64)), 0.1)).getMessage());
    assertEquals("the observation noise sigma_y must be a finite number >= 0, got -0.1", assertThrows(InvalidInputException.class,
        () -> new Observation(blur, Torch.full(img, 0, Torch.options(DType.FLOAT64)), -0.1)).getMessage());
    assertThrows(InvalidInputException.class,
        () -> blur.apply(Torch.full(new long[] {2, 1, 4, 5}, 0, Torch.options(DType.FLOAT64))));
  }
}
