package org.sbgm.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.model.TransformSpec;
import org.sbgm.data.Standardize;
import org.sbgm.data.TensorDataset;
import org.sbgm.data.Transform;
import org.sbgm.torch.Torch;

/**
 * Data ready for training: a random split into training and validation samples (a permutation drawn
 * from {@code seed}), the transform fitted on the training samples only, and both parts transformed.
 *
 * @param training the transformed training samples (with their condition)
 * @param validation the transformed held-out samples, or null when none are held out
 * @param transform the fitted transform
 * @param sampleShape the shape of one sample
 * @param conditionDim P, the condition size (0 when unconditional)
 */
public record PreparedData(TensorDataset training, TensorDataset validation, TransformSpec transform, long[] sampleShape,
    int conditionDim) {

  /** Splits, fits and transforms {@code data}; {@code transformName} is auto, standardize, image or none. */
  public static PreparedData of(LoadedData data, double validationFraction, String transformName, long seed) {
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
      Tensor p = data.parameters() == null ? null : data.parameters().index_select(0, trainIdx);
      TransformSpec spec;
      if (name.equals("standardize")) {
        try {
          spec = TransformSpec.of(Standardize.fit(x));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("cannot standardise " + data.description() + ": " + e.getMessage()
              + " (set data.transform: none)", e);
        }
      } else {
        spec = name.equals("image") ? TransformSpec.image() : TransformSpec.none();
      }
      Transform t = spec.create(g);
      TensorDataset training = set(t, x, p);
      TensorDataset validation = null;
      if (held > 0) {
        Tensor validIdx = perm.narrow(0, 0, held);
        validation = set(t, data.x().index_select(0, validIdx),
            data.parameters() == null ? null : data.parameters().index_select(0, validIdx));
      }
      return new PreparedData(training, validation, spec, data.sampleShape(), data.conditionDim());
    } finally {
      g.close();
    }
  }

  private static TensorDataset set(Transform t, Tensor x, Tensor p) {
    Tensor y = t.forward(x.is_floating_point() ? x : x.to(torch.ScalarType.Float)).to(torch.ScalarType.Float);
    return new TensorDataset(y.contiguous(), p == null ? null : p.contiguous(), null);
  }
}
