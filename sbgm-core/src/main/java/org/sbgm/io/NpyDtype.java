package org.sbgm.io;

import java.nio.ByteBuffer;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;

/** The element types this reader understands, all little-endian (or single-byte). */
enum NpyDtype {
  FLOAT32("<f4", 4, torch.ScalarType.Float),
  FLOAT64("<f8", 8, torch.ScalarType.Double),
  UINT8("|u1", 1, torch.ScalarType.Byte),
  INT8("|i1", 1, torch.ScalarType.Char),
  INT32("<i4", 4, torch.ScalarType.Int),
  INT64("<i8", 8, torch.ScalarType.Long);

  final String descr;
  final int itemSize;
  final torch.ScalarType scalarType;

  NpyDtype(String descr, int itemSize, torch.ScalarType scalarType) {
    this.descr = descr;
    this.itemSize = itemSize;
    this.scalarType = scalarType;
  }

  /** The type named by a NumPy {@code descr} string, or an error naming the source and the descr. */
  static NpyDtype parse(String descr, String source) {
    if (descr.length() == 3) {
      char order = descr.charAt(0);
      String kind = descr.substring(1);
      for (NpyDtype d : values()) {
        if (d.descr.substring(1).equals(kind)) {
          if (order == '<' || order == '|' || order == '=' || (d.itemSize == 1 && order == '>')) {
            return d;
          }
          if (order == '>') {
            throw new InvalidInputException("File '" + source + "' stores dtype '" + descr
                + "' (big-endian), but only little-endian data is supported; re-save it with arr.astype('<" + kind + "').");
          }
        }
      }
    }
    throw new InvalidInputException("File '" + source + "' stores dtype '" + descr
        + "', but only '<f4', '<f8', '|u1', '|i1', '<i4' and '<i8' are supported.");
  }

  /** The dtype of a torch scalar type, or an error for one that cannot be written. */
  static NpyDtype of(torch.ScalarType type) {
    torch.ScalarType t = type.intern();
    for (NpyDtype d : values()) {
      if (d.scalarType == t) {
        return d;
      }
    }
    throw new InvalidInputException(
        "tensor dtype " + t + " cannot be written to .npy; expected Float, Double, Byte, Char, Int or Long");
  }

  /** Reads element {@code i} of a little-endian buffer as a double (exact for every type but huge int64). */
  double get(ByteBuffer b, int i) {
    switch (this) {
      case FLOAT32: return b.getFloat(i * 4);
      case FLOAT64: return b.getDouble(i * 8);
      case UINT8: return b.get(i) & 0xff;
      case INT8: return b.get(i);
      case INT32: return b.getInt(i * 4);
      default: return b.getLong(i * 8);
    }
  }
}
