package org.sbgm.torch;

import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;

/** Floating-point precisions the library supports. */
public enum DType {
  FLOAT32(torch.ScalarType.Float),
  FLOAT64(torch.ScalarType.Double);

  private final torch.ScalarType scalarType;

  DType(torch.ScalarType scalarType) {
    this.scalarType = scalarType;
  }

  /** The libtorch scalar type. */
  public torch.ScalarType scalarType() {
    return scalarType;
  }

  /** Parses {@code float32}/{@code float64} (also {@code float}/{@code double}). */
  public static DType parse(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "float32": case "float": case "f32": return FLOAT32;
      case "float64": case "double": case "f64": return FLOAT64;
      default: throw new InvalidInputException("dtype must be float32 or float64, got '" + s + "'");
    }
  }
}
