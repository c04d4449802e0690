package org.sbgm.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.Standardize;
import org.sbgm.data.TensorDataset;
import org.sbgm.data.Transform;
import org.sbgm.torch.Torch;

/**
 * Data ready for training: a random split into training and validation samples (a permutation drawn
 * from {@code seed}), the transforms fitted on the training samples only, and both parts transformed:
 * the data's, the condition π's (standardised per parameter, or none) and the image condition y's, which is
 * scaled like the data (8-bit images to [-1, 1] at the bin centres when the data are scaled so, none when the
 * data are not transformed, otherwise standardised per channel or feature with its own fitted mean and std).
 *
 * @param training the transformed training samples (with their condition)
 * @param validation the transformed held-out samples, or null when none are held out
 * @param transform the fitted data transform
 * @param sampleShape the shape of one sample
 * @param conditionDim P, the condition size (0 when unconditional)
 * @param parametersTransform the fitted transform of π (none when there is no π)
 * @param imageTransform the fitted transform of y, or null when there is no image condition
 * @param imageShape the shape of one image condition, or null
 */
public record PreparedData(TensorDataset training, TensorDataset validation, TransformSpec transform, long[] sampleShape,
    int conditionDim, TransformSpec parametersTransform, TransformSpec imageTransform, long[] imageShape) {

  /** Splits, fits and transforms {@code data}; π is standardised. */
  public static PreparedData of(LoadedData data, double validationFraction, String transformName, long seed) {
    return of(data, validationFraction, transformName, "standardize", seed);
  }

  /**
   * Splits, fits and transforms {@code data}; {@code transformName} is auto, standardize, image or none,
   * {@code parametersTransformName} standardize or none.
   */
  public static PreparedData of(LoadedData data, double validationFraction, String transformName,
      String parametersTransformName, long seed) {
    long n = data.size();
    long held = Math.round(n * validationFraction);
    if (validationFraction > 0 && held == 0) {
      held = 1;
    }
    if (n - held < 1) {
      throw new InvalidInputException(data.description() + " has " + n + " samples, too few to hold out " + held + " for validation");
    }
    String name = transformName.equals("auto") ? (data.eightBit() ? "image" : "standardize") : transformName;
    if (name.equals("image") && !data.eightBit()) {
      throw new InvalidInputException("data.transform image needs 8-bit images (uint8 [N, H, W] or [N, C, H, W]), but "
          + data.description() + " holds " + (data.x().dim() == 2 ? "vectors" : "real values"));
    }
    Generator g = Torch.generator(seed);
    try (PointerScope scope = new PointerScope()) {
      Tensor perm = torch.randperm(n, new GeneratorOptional(g), new TensorOptions(torch.ScalarType.Long));
      Tensor trainIdx = perm.narrow(0, held, n - held);
      Tensor x = data.x().index_select(0, trainIdx);
      Tensor p = select(data.parameters(), trainIdx);
      Tensor y = select(data.image(), trainIdx);
      TransformSpec spec = name.equals("standardize") ? fit(x, "cannot standardise " + data.description(),
          "set data.transform: none") : name.equals("image") ? TransformSpec.image() : TransformSpec.none();
      TransformSpec piSpec = p == null || parametersTransformName.equals("none") ? TransformSpec.none()
          : fit(p, "cannot standardise the condition parameters", "set data.parametersTransform: none");
      TransformSpec ySpec = y == null ? null : imageTransform(name, y);
      Transform t = spec.create(g);
      Transform tp = piSpec.create(null);
      Transform ty = ySpec == null ? null : ySpec.create(null);
      TensorDataset training = set(t, x, tp, p, ty, y);
      TensorDataset validation = null;
      if (held > 0) {
        Tensor validIdx = perm.narrow(0, 0, held);
        validation = set(t, data.x().index_select(0, validIdx), tp, select(data.parameters(), validIdx), ty,
            select(data.image(), validIdx));
      }
      return new PreparedData(training, validation, spec, data.sampleShape(), data.conditionDim(), piSpec, ySpec,
          data.imageShape());
    } finally {
      g.close();
    }
  }

  /** y scaled like the data: image scaling for 8-bit y of image data, none for untransformed data, else standardised. */
  private static TransformSpec imageTransform(String dataTransform, Tensor y) {
    boolean eightBit = y.scalar_type().intern() == torch.ScalarType.Byte;
    if (dataTransform.equals("image") && eightBit) {
      return TransformSpec.image();
    }
    if (dataTransform.equals("none")) {
      return TransformSpec.none();
    }
    return fit(y.to(torch.ScalarType.Float), "cannot standardise the image condition", "set data.transform: none");
  }

  private static TransformSpec fit(Tensor x, String what, String hint) {
    try {
      return TransformSpec.of(Standardize.fit(x.is_floating_point() ? x : x.to(torch.ScalarType.Float)));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(what + ": " + e.getMessage() + " (" + hint + ")", e);
    }
  }

  private static Tensor select(Tensor t, Tensor index) {
    return t == null ? null : t.index_select(0, index);
  }

  private static TensorDataset set(Transform t, Tensor x, Transform tp, Tensor p, Transform ty, Tensor y) {
    return new TensorDataset(apply(t, x).contiguous(), p == null ? null : apply(tp, p).contiguous(),
        y == null ? null : apply(ty, y).contiguous());
  }

  private static Tensor apply(Transform t, Tensor x) {
    return t.forward(x.is_floating_point() ? x : x.to(torch.ScalarType.Float)).to(torch.ScalarType.Float);
  }
}
