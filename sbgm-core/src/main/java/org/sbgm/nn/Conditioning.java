package org.sbgm.nn;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/**
 * Checks of a network's inputs against its configuration, and what every network does with a condition:
 * the image y resized and concatenated (image networks) or flattened (vector networks), and classifier-free
 * condition dropout.
 *
 * <p>Condition dropout with probability p &gt; 0: each sample carries a keep flag κ ∈ {0, 1}; the network
 * sees κ π and κ y together with κ itself (an extra input value for π and vector conditions, an extra
 * constant channel for image conditions), so a dropped condition ∅ differs from a condition that happens to
 * be zero (a standardised π at its mean). In training mode κ is drawn per sample (zero with probability p);
 * in eval mode κ = 1; and a network with p &gt; 0 accepts an absent condition as ∅ (κ = 0 for every sample),
 * which is exactly what a dropped sample looked like in training: the unconditional score that
 * classifier-free guidance combines with the conditional one.
 */
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
    checkParameters(network, conditionDim, parameters, batch, false);
  }

  /**
   * As {@link #checkParameters(String, int, Tensor, long)}; with {@code absentAllowed} (a network trained
   * with condition dropout) a missing π is the dropped condition ∅.
   */
  static void checkParameters(String network, int conditionDim, Tensor parameters, long batch, boolean absentAllowed) {
    if (absentAllowed && parameters == null) {
      return;
    }
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
    checkImage(network, channels, image, batch, false);
  }

  /** As {@link #checkImage(String, int, Tensor, long)}; with {@code absentAllowed} a missing y is ∅. */
  static void checkImage(String network, int channels, Tensor image, long batch, boolean absentAllowed) {
    if (absentAllowed && image == null) {
      return;
    }
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

  /**
   * A vector network's image condition y: present iff {@code dim > 0} (or absent as ∅ with
   * {@code absentAllowed}), {@code [B, ...]} with {@code dim} values per sample (flattened).
   */
  static void checkVectorImage(String network, int dim, Tensor image, long batch, boolean absentAllowed) {
    if (dim == 0 && image != null) {
      throw new InvalidInputException(network + " was built without an image condition (conditionImageDim = 0), "
          + "but an image of shape " + Arrays.toString(Torch.shape(image)) + " was given");
    }
    if (dim > 0 && image == null && !absentAllowed) {
      throw new InvalidInputException(network + " is conditioned on an image of " + dim + " values (conditionImageDim = "
          + dim + "), but none was given");
    }
    if (image != null && (image.dim() < 2 || image.size(0) != batch || image.numel() != batch * dim)) {
      throw new InvalidInputException(network + " expects a condition image of shape [" + batch + ", ...] with " + dim
          + " values per sample, got " + Arrays.toString(Torch.shape(image)));
    }
  }

  /**
   * The keep flags κ {@code [B]} of a batch (see the class comment), or null when the network was built
   * without condition dropout ({@code p = 0}). A network that takes both π and y needs both or neither.
   */
  static Tensor keep(String network, double p, boolean training, Tensor parameters, Tensor image, boolean takesParameters,
      boolean takesImage, long batch, Randomness randomness, Tensor like) {
    if (p == 0) {
      return null;
    }
    if (takesParameters && takesImage && (parameters == null) != (image == null)) {
      throw new InvalidInputException(network + " is conditioned on parameters and an image; give both, or neither for "
          + "the dropped (unconditional) condition, but only the " + (parameters == null ? "image" : "parameters")
          + " were given");
    }
    boolean present = parameters != null || image != null;
    if (!present) {
      return torch.zeros(new long[] {batch}, like.options());
    }
    if (training) {
      return randomness.keepMask(batch, p, like);
    }
    return torch.ones(new long[] {batch}, like.options());
  }

  /**
   * A vector network's inputs checked (x {@code [B, dataDim]}, t, π, y against its condition sizes) and the
   * condition vector its layers see ({@link #vectorCondition}, keep flags drawn in training mode).
   */
  static Tensor vectorInputs(String network, Tensor x, Tensor t, Tensor parameters, Tensor image, int dataDim,
      int conditionDim, int imageDim, double dropout, boolean training, Randomness randomness) {
    checkInputs(network, x, t, 2);
    if (x.size(1) != dataDim) {
      throw new InvalidInputException(network + " expects x of shape [B, " + dataDim + "], got [" + x.size(0) + ", "
          + x.size(1) + "]");
    }
    boolean optional = dropout > 0;
    checkParameters(network, conditionDim, parameters, x.size(0), optional);
    checkVectorImage(network, imageDim, image, x.size(0), optional);
    Tensor keep = keep(network, dropout, training, parameters, image, conditionDim > 0, imageDim > 0, x.size(0), randomness, x);
    return vectorCondition(parameters, image, keep, conditionDim, imageDim, x);
  }

  /**
   * The condition vector a vector network sees: [π, flatten(y)] (each zeros when absent), multiplied by κ
   * and followed by κ when there are keep flags; null when the network takes no condition.
   */
  static Tensor vectorCondition(Tensor parameters, Tensor image, Tensor keep, int conditionDim, int imageDim, Tensor like) {
    if (conditionDim + imageDim == 0) {
      return null;
    }
    long batch = like.size(0);
    TensorVector parts = new TensorVector();
    if (conditionDim > 0) {
      parts.push_back(parameters != null ? parameters : torch.zeros(new long[] {batch, conditionDim}, like.options()));
    }
    if (imageDim > 0) {
      parts.push_back(image != null ? image.reshape(batch, imageDim) : torch.zeros(new long[] {batch, imageDim}, like.options()));
    }
    Tensor c = parts.size() == 1 ? parts.get(0) : torch.cat(parts, 1);
    return withKeep(c, keep);
  }

  /** π as an image network's condition MLP sees it: κ π followed by κ with keep flags, else π; null when absent. */
  static Tensor parameterInput(Tensor parameters, Tensor keep, int conditionDim, Tensor like) {
    if (conditionDim == 0) {
      return null;
    }
    Tensor p = parameters != null ? parameters : torch.zeros(new long[] {like.size(0), conditionDim}, like.options());
    return withKeep(p, keep);
  }

  /** [c ⊙ κ, κ] along dimension 1, or c itself without keep flags. */
  private static Tensor withKeep(Tensor c, Tensor keep) {
    if (keep == null) {
      return c;
    }
    Tensor k = keep.to(c.scalar_type()).reshape(c.size(0), 1);
    return torch.cat(new TensorVector(c.mul(k), k), 1);
  }

  /**
   * [x, y] along channels for an image network, y resized bilinearly (align_corners = false) to the H, W of
   * x when they differ; with keep flags [x, κ y, κ] (κ a constant channel; y zeros when absent).
   */
  static Tensor concatImage(Tensor x, Tensor image, int channels, Tensor keep) {
    if (channels == 0) {
      return x;
    }
    long b = x.size(0);
    long h = x.size(2);
    long w = x.size(3);
    Tensor y = image != null ? image : torch.zeros(new long[] {b, channels, h, w}, x.options());
    if (y.size(2) != h || y.size(3) != w) {
      y = torch.upsample_bilinear2d(y, new long[] {h, w}, false);
    }
    if (keep == null) {
      return torch.cat(new TensorVector(x, y), 1);
    }
    Tensor k = Torch.perSample(keep.to(x.scalar_type()), 4);
    return torch.cat(new TensorVector(x, y.mul(k), k.expand(b, 1, h, w)), 1);
  }

  /** The extra input channel or value of a network with condition dropout: 1 when {@code p > 0}, else 0. */
  static int flag(double p) {
    return p > 0 ? 1 : 0;
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
