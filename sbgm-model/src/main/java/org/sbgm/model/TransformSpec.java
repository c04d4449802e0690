package org.sbgm.model;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.bytedeco.pytorch.Generator;
import org.sbgm.config.Checks;
import org.sbgm.data.Standardize;
import org.sbgm.data.Transform;
import org.sbgm.data.UniformDequantize;
import org.sbgm.torch.DType;

/**
 * The fitted map y = T(x) from data units to the units the model was trained in:
 * {@code standardize} (y = (x - mean)/std per feature, with the fitted {@code mean} and {@code std}),
 * {@code image} (256-level values x scaled to y = (x + u)/128 - 1 with uniform dequantisation noise u)
 * or {@code none}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformSpec(String type, List<Double> mean, List<Double> std) {
  public TransformSpec {
    type = Checks.oneOf("type", type, List.of("standardize", "image", "none"));
    if (type.equals("standardize")) {
      Checks.required("mean", mean, "one mean per feature");
      Checks.required("std", std, "one standard deviation per feature");
      if (mean.isEmpty() || mean.size() != std.size()) {
        throw new InvalidInputException("mean and std must be non-empty lists of equal length, got "
            + mean.size() + " and " + std.size());
      }
      for (int i = 0; i < mean.size(); i++) {
        if (mean.get(i) == null || !Double.isFinite(mean.get(i))) {
          throw new InvalidInputException("mean[" + i + "] must be a finite number, got " + mean.get(i));
        }
        if (std.get(i) == null || !(std.get(i) > 0) || !Double.isFinite(std.get(i))) {
          throw new InvalidInputException("std[" + i + "] must be a positive finite number (a standard deviation), got "
              + std.get(i));
        }
      }
      mean = List.copyOf(mean);
      std = List.copyOf(std);
    } else {
      Checks.absent("mean", mean, "only a standardize transform has a mean");
      Checks.absent("std", std, "only a standardize transform has a std");
    }
  }

  /** No transform. */
  public static TransformSpec none() {
    return new TransformSpec("none", null, null);
  }

  /** 8-bit image scaling. */
  public static TransformSpec image() {
    return new TransformSpec("image", null, null);
  }

  /** The parameters of a fitted standardisation. */
  public static TransformSpec of(Standardize s) {
    return new TransformSpec("standardize", boxed(s.mean()), boxed(s.std()));
  }

  /** True for 8-bit image scaling (likelihoods are then also reported in bits/dim). */
  @JsonIgnore
  public boolean isImage() {
    return type.equals("image");
  }

  /**
   * The core transform; for images, {@code dequantisation} draws the noise u of the forward map (null:
   * u = ½, the bin centres).
   */
  public Transform create(Generator dequantisation) {
    return switch (type) {
      case "standardize" -> new Standardize(unboxed(mean), unboxed(std));
      case "image" -> dequantisation == null ? UniformDequantize.midpoint(DType.FLOAT32)
          : new UniformDequantize(dequantisation, DType.FLOAT32);
      default -> org.sbgm.data.Affine.of(1, 0); // the identity, log |det| = 0
    };
  }

  /**
   * The transform as the continuous affine map z = a ⊙ x + b per feature (the image transform at its
   * bin centres, u = ½, without the rounding of its inverse): how an inverse problem in data units
   * becomes one in the model's units.
   */
  public org.sbgm.data.Affine affine() {
    return switch (type) {
      case "standardize" -> {
        double[] m = unboxed(mean);
        double[] s = unboxed(std);
        double[] a = new double[m.length];
        double[] b = new double[m.length];
        for (int i = 0; i < m.length; i++) {
          a[i] = 1 / s[i];
          b[i] = -m[i] / s[i];
        }
        yield new org.sbgm.data.Affine(a, b);
      }
      case "image" -> org.sbgm.data.Affine.of(2.0 / UniformDequantize.LEVELS, 1.0 / UniformDequantize.LEVELS - 1);
      default -> org.sbgm.data.Affine.of(1, 0);
    };
  }

  private static List<Double> boxed(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }

  private static double[] unboxed(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
