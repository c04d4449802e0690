package org.sbgm.model;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Samples as read or generated, before any transform.
 *
 * @param x the samples {@code [N, ...]}: uint8 for 8-bit images, float32 otherwise
 * @param parameters the condition π per sample {@code [N, P]} (float32), or null
 * @param image the image condition y per sample ({@code [N, C', H, W]} or {@code [N, D']}; uint8 for 8-bit
 *     images, float32 otherwise), or null
 * @param eightBit true when x holds 256-level images {@code [N, C, H, W]}
 * @param description where the data came from, for messages
 */
public record LoadedData(Tensor x, Tensor parameters, Tensor image, boolean eightBit, String description) {
  /** Data without an image condition. */
  public LoadedData(Tensor x, Tensor parameters, boolean eightBit, String description) {
    this(x, parameters, null, eightBit, description);
  }

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

  /** The shape of one image condition, or null when there is none. */
  public long[] imageShape() {
    if (image == null) {
      return null;
    }
    long[] s = Torch.shape(image);
    return Arrays.copyOfRange(s, 1, s.length);
  }
}
