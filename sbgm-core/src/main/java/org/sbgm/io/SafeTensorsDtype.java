package org.sbgm.io;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;

/** The safetensors element types this library reads and writes, by their header names, with libtorch's type. */
public enum SafeTensorsDtype {
  F64(8, torch.ScalarType.Double, 10),
  F32(4, torch.ScalarType.Float, 9),
  F16(2, torch.ScalarType.Half, 5),
  BF16(2, torch.ScalarType.BFloat16, 6),
  I64(8, torch.ScalarType.Long, 11),
  I32(4, torch.ScalarType.Int, 7),
  I16(2, torch.ScalarType.Short, 3),
  I8(1, torch.ScalarType.Char, 2),
  U8(1, torch.ScalarType.Byte, 1),
  BOOL(1, torch.ScalarType.Bool, 0);

  private final int itemSize;
  private final torch.ScalarType scalarType;
  private final int rank;

  SafeTensorsDtype(int itemSize, torch.ScalarType scalarType, int rank) {
    this.itemSize = itemSize;
    this.scalarType = scalarType;
    this.rank = rank;
  }

  /**
   * The position in the Hugging Face library's {@code Dtype} enum (BOOL, U8, I8, I16, U16, F16, BF16, I32,
   * U32, F32, F64, I64, U64: increasing alignment), by which its writer orders tensors, largest first.
   */
  int rank() {
    return rank;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** The libtorch scalar type. */
  public torch.ScalarType scalarType() {
    return scalarType;
  }

  /** The names, as a header writes them. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** The type a header names, or null when this library does not know it. */
  static SafeTensorsDtype byName(String name) {
    for (SafeTensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** The type of a libtorch scalar type; one that has no safetensors counterpart here is an input error. */
  public static SafeTensorsDtype of(torch.ScalarType type) {
    torch.ScalarType t = type.intern();
    for (SafeTensorsDtype d : values()) {
      if (d.scalarType == t) {
        return d;
      }
    }
    throw new InvalidInputException("tensors of type " + t + " cannot be written to safetensors; expected one of " + names());
  }
}
