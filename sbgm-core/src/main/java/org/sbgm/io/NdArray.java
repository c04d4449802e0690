package org.sbgm.io;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * An n-dimensional array as stored in a {@code .npy} file: its NumPy dtype string (for example
 * {@code <f4}, {@code <f8}, {@code |u1}), its shape and its values in C (row-major) order. Values are
 * held as doubles, which represent every float32, float64, uint8, int8 and int32 value exactly (and
 * int64 values up to 2^53 in magnitude; larger ones are rejected when read).
 *
 * @param dtype the NumPy dtype string the values came from or are to be written as
 * @param shape the dimensions, outermost first (empty for a scalar)
 * @param data the values in C order; {@code data.length} is the product of {@code shape}
 */
public record NdArray(String dtype, long[] shape, double[] data) {
  /** Validates that {@code shape} holds exactly {@code data.length} values. */
  public NdArray {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new InvalidInputException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      n *= s;
    }
    if (n != data.length) {
      throw new InvalidInputException(
          "shape " + Arrays.toString(shape) + " holds " + n + " values, but " + data.length + " were given");
    }
    shape = shape.clone();
  }

  /** A float64 ({@code <f8}) array. */
  public static NdArray of(double[] data, long... shape) {
    return new NdArray("<f8", shape, data);
  }

  /** A float32 ({@code <f4}) array (its values are held as doubles, exactly). */
  public static NdArray ofFloats(float[] data, long... shape) {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return new NdArray("<f4", shape, d);
  }

  /** The number of values. */
  public int size() {
    return data.length;
  }

  /** The values rounded to float (exact for a {@code <f4} array). */
  public float[] toFloats() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return f;
  }

  /** A new CPU tensor of the given dtype holding these values with this shape. */
  public Tensor toTensor(DType type) {
    return Torch.tensor(data, type, shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NdArray a && dtype.equals(a.dtype) && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NdArray[" + dtype + ", shape=" + Arrays.toString(shape) + "]";
  }
}
