package org.sbgm.model;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Samples as read or generated, before any transform.
 *
 * @param x the samples {@code [N, ...]}: uint8 for 8-bit images, float32 otherwise
 * @param parameters the condition π per sample {@code [N, P]} (float32), or null
 * @param eightBit true when x holds 256-level images {@code [N, C, H, W]}
 * @param description where the data came from, for messages
 */
public record LoadedData(Tensor x, Tensor parameters, boolean eightBit, String description) {
  /** The number of samples. */
  public long size() {
    return x.size(0);
  }

  /** The shape of one sample. */
  public long[] sampleShape() {
    long[] s = Torch.shape(x);
    return Arrays.copyOfRange(s, 1, s.length);
  }

  /** P, the number of condition values per sample (0 when unconditional). */
  public int conditionDim() {
    return parameters == null ? 0 : Math.toIntExact(parameters.size(1));
  }
}
