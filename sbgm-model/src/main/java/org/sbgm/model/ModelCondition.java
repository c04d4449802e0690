package org.sbgm.model;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * What a model is conditioned on, and how a condition given in the user's units becomes the model's: the
 * parameters π (P values, named or not) through the fitted parameter transform (a standardisation), and
 * an image condition y of a fixed shape through the fitted image transform (scaled like the data). A
 * condition for a run has one row (used for every sample) or one row per sample, for π and y alike.
 */
public final class ModelCondition {
  private final int parameters;
  private final List<String> names;
  private final TransformSpec parametersTransform;
  private final long[] imageShape;
  private final TransformSpec imageTransform;
  private final DType dtype;

  ModelCondition(int parameters, List<String> names, TransformSpec parametersTransform, long[] imageShape,
      TransformSpec imageTransform, DType dtype) {
    this.parameters = parameters;
    this.names = names;
    this.parametersTransform = parametersTransform == null ? TransformSpec.none() : parametersTransform;
    this.imageShape = imageShape == null ? null : imageShape.clone();
    this.imageTransform = imageTransform;
    this.dtype = dtype;
  }

  /** P (0: no parameter condition). */
  public int parameters() {
    return parameters;
  }

  /** The shape of one image condition, or null when the model takes none. */
  public long[] imageShape() {
    return imageShape == null ? null : imageShape.clone();
  }

  /** True when the model takes any condition. */
  public boolean isConditional() {
    return parameters > 0 || imageShape != null;
  }

  /** The fitted transform of π. */
  public TransformSpec parametersTransform() {
    return parametersTransform;
  }

  /** "3 values" or "2 values (A, B)": the parameters, for messages. */
  public String describeParameters() {
    return parameters + " values" + (names == null ? "" : " (" + String.join(", ", names) + ")");
  }

  /** π repeated for {@code rows} samples, in model units; see {@link Model#condition(double[], long)}. */
  Condition of(double[] values, long rows) {
    if (!isConditional()) {
      if (values != null) {
        throw new InvalidInputException("a condition was given, but this model is unconditional");
      }
      return Condition.NONE;
    }
    if (imageShape != null) {
      throw new InvalidInputException("this model is conditioned on an image of shape " + Arrays.toString(imageShape)
          + (parameters > 0 ? " and on " + describeParameters() : "") + "; give the image condition as a file");
    }
    if (values == null) {
      throw new InvalidInputException("this model is conditional: give a condition of " + describeParameters());
    }
    if (values.length != parameters) {
      throw new InvalidInputException("the condition must hold " + describeParameters() + ", got " + values.length
          + " values " + Arrays.toString(values));
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new InvalidInputException("condition values must be finite, got " + Arrays.toString(values));
      }
    }
    Condition raw = Conditions.repeat(values, rows, dtype);
    return new Condition(toModel(raw.parameters()), null);
  }

  /**
   * The condition of raw arrays ({@code [1 or N, P]} parameters and {@code [1 or N, ...]} images, either
   * null), checked and in model units; {@code parametersSource} and {@code imageSource} name them in messages.
   */
  Condition of(Tensor rawParameters, String parametersSource, Tensor rawImage, String imageSource) {
    if (!isConditional() && (rawParameters != null || rawImage != null)) {
      throw new InvalidInputException("a condition was given (" + (rawParameters != null ? parametersSource : imageSource)
          + "), but this model is unconditional");
    }
    if (parameters == 0 && rawParameters != null) {
      throw new InvalidInputException(parametersSource + " gives parameters, but this model is conditioned on an image only");
    }
    if (imageShape == null && rawImage != null) {
      throw new InvalidInputException(imageSource + " gives an image condition, but this model takes none (it is conditioned "
          + "on " + describeParameters() + ")");
    }
    if (parameters > 0 && rawParameters == null) {
      throw new InvalidInputException("this model is conditional: give its parameters, " + describeParameters());
    }
    if (imageShape != null && rawImage == null) {
      throw new InvalidInputException("this model is conditioned on an image of shape " + Arrays.toString(imageShape)
          + "; give one (or one per sample)");
    }
    Tensor pi = null;
    if (rawParameters != null) {
      Tensor p = ConditionFiles.parameters(rawParameters, parametersSource, -1, null);
      if (p.size(1) != parameters) {
        throw new InvalidInputException(parametersSource + " holds an array of shape " + Arrays.toString(Torch.shape(rawParameters))
            + ", but the model takes " + describeParameters() + " per row");
      }
      pi = toModel(p.to(dtype.scalarType()));
    }
    Tensor y = null;
    if (rawImage != null) {
      y = image(rawImage, imageSource);
    }
    if (pi != null && y != null && pi.size(0) != y.size(0) && pi.size(0) != 1 && y.size(0) != 1) {
      throw new InvalidInputException(parametersSource + " holds " + pi.size(0) + " rows but " + imageSource + " holds "
          + y.size(0) + "; expected one row for all samples or one per sample, alike");
    }
    return new Condition(pi, y);
  }

  /** y checked against the model's image shape and scaled like the data. */
  private Tensor image(Tensor raw, String source) {
    long[] got = Torch.shape(raw);
    Tensor y = raw;
    if (imageShape.length == 3 && imageShape[0] == 1 && got.length == 3) {
      y = y.unsqueeze(1);
    } else if (imageShape.length == 3 && got.length == 3 && Arrays.equals(got, imageShape)) {
      y = y.unsqueeze(0); // one image without its row dimension
    }
    long[] shape = Torch.shape(y);
    if (shape.length != imageShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), imageShape)) {
      throw new InvalidInputException(source + " holds an array of shape " + Arrays.toString(got) + ", but the model's "
          + "image condition is [N, " + Arrays.toString(imageShape).replaceAll("[\\[\\]]", "") + "] (N = 1 for all samples)");
    }
    Tensor converted = y.to(torch.ScalarType.Double);
    if (!Torch.allFinite(converted)) {
      throw new InvalidInputException(source + " holds NaN or infinite values");
    }
    if (imageTransform.isImage()) {
      double lo = converted.min().item_double();
      double hi = converted.max().item_double();
      if (lo < 0 || hi > 255) {
        throw new InvalidInputException(source + " holds values from " + lo + " to " + hi
            + ", but the model's image condition is 256-level data (0..255)");
      }
    }
    return imageTransform.create(null).forward(converted.to(torch.ScalarType.Float)).to(dtype.scalarType()).contiguous();
  }

  /** π in model units (the fitted transform applied; differentiable). */
  Tensor toModel(Tensor rawParameters) {
    return parametersTransform.create(null).forward(rawParameters);
  }

  /** π in the user's units from model units. */
  Tensor toRaw(Tensor modelParameters) {
    return parametersTransform.create(null).inverse(modelParameters);
  }
}
