package org.sbgm.nn;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** Checks of a network's inputs against its configuration, and the shared handling of an image condition. */
final class Conditioning {
  private Conditioning() {}

  /** x must have {@code rank} dimensions; t must be {@code [B]} with B the batch of x. */
  static void checkInputs(String network, Tensor x, Tensor t, int rank) {
    if (x == null || t == null) {
      throw new InvalidInputException(network + " needs both x and t, got " + (x == null ? "x = null" : "t = null"));
    }
    if (x.dim() != rank) {
      throw new InvalidInputException(
          network + " expects x of rank " + rank + ", got shape " + Arrays.toString(Torch.shape(x)));
    }
    if (t.dim() != 1 || t.size(0) != x.size(0)) {
      throw new InvalidInputException(network + " expects t of shape [" + x.size(0) + "] (one time per sample), got "
          + Arrays.toString(Torch.shape(t)));
    }
  }

  /** π must be present iff {@code conditionDim > 0}, and then shaped {@code [B, conditionDim]}. */
  static void checkParameters(String network, int conditionDim, Tensor parameters, long batch) {
    if (conditionDim == 0 && parameters != null) {
      throw new InvalidInputException(network + " was built without a parameter condition (conditionDim = 0), "
          + "but a parameter tensor of shape " + Arrays.toString(Torch.shape(parameters)) + " was given");
    }
    if (conditionDim > 0 && parameters == null) {
      throw new InvalidInputException(network + " is conditioned on a parameter vector of size " + conditionDim
          + " (conditionDim = " + conditionDim + "), but none was given");
    }
    if (parameters != null && (parameters.dim() != 2 || parameters.size(0) != batch || parameters.size(1) != conditionDim)) {
      throw new InvalidInputException(network + " expects parameters of shape [" + batch + ", " + conditionDim
          + "], got " + Arrays.toString(Torch.shape(parameters)));
    }
  }

  /** y must be present iff {@code channels > 0}, and then shaped {@code [B, channels, H', W']}. */
  static void checkImage(String network, int channels, Tensor image, long batch) {
    if (channels == 0 && image != null) {
      throw new InvalidInputException(network + " was built without an image condition (conditionImageChannels = 0), "
          + "but an image of shape " + Arrays.toString(Torch.shape(image)) + " was given");
    }
    if (channels > 0 && image == null) {
      throw new InvalidInputException(network + " is conditioned on an image with " + channels
          + (channels == 1 ? " channel" : " channels") + " (conditionImageChannels = " + channels + "), but none was given");
    }
    if (image != null && (image.dim() != 4 || image.size(0) != batch || image.size(1) != channels)) {
      throw new InvalidInputException(network + " expects a condition image of shape [" + batch + ", " + channels
          + ", H, W], got " + Arrays.toString(Torch.shape(image)));
    }
  }

  /** [x, y] along channels, y resized bilinearly (align_corners = false) to the H, W of x when they differ. */
  static Tensor concatImage(Tensor x, Tensor image) {
    if (image == null) {
      return x;
    }
    long h = x.size(2);
    long w = x.size(3);
    Tensor y = image;
    if (y.size(2) != h || y.size(3) != w) {
      y = torch.upsample_bilinear2d(y, new long[] {h, w}, false);
    }
    return torch.cat(new TensorVector(x, y), 1);
  }

  /** {@code c} with the samples whose keep flag is zero replaced by zeros; {@code keep} is {@code [B]}. */
  static Tensor applyKeep(Tensor c, Tensor keep) {
    return c == null || keep == null ? c : c.mul(Torch.perSample(keep, c.dim()));
  }

  /** A non-negative condition size. */
  static void checkNonNegative(String what, int value) {
    if (value < 0) {
      throw new InvalidInputException(what + " must be 0 (none) or positive, got " + value);
    }
  }

  /** A probability in [0, 1). */
  static void checkProbability(String what, double p) {
    if (!(p >= 0 && p < 1)) {
      throw new InvalidInputException(what + " must be a probability in [0, 1), got " + p);
    }
  }
}
