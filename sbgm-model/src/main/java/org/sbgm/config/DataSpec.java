package org.sbgm.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Where the training data come from, chosen by {@code source}: {@code toy} (a 2-D toy generator),
 * {@code file} (.npy, .npz, .csv, IDX or a folder of PNGs) or {@code grf} (Gaussian random fields
 * conditioned on π = (A, B)). Every source also takes {@code validation}, the fraction of samples held
 * out (default 0.05), and {@code transform}: {@code standardize} (per-feature mean and std),
 * {@code image} (256-level data scaled to [-1, 1] after uniform dequantisation), {@code none}, or
 * {@code auto} (the default: image for 8-bit images, standardize otherwise). Sources with a condition π
 * ({@code grf}, {@code file} with {@code parameters}) also take {@code parametersTransform}:
 * {@code standardize} (the default) or {@code none}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "source")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ToyDataSpec.class, name = "toy"),
    @JsonSubTypes.Type(value = FileDataSpec.class, name = "file"),
    @JsonSubTypes.Type(value = GrfDataSpec.class, name = "grf")})
public sealed interface DataSpec permits ToyDataSpec, FileDataSpec, GrfDataSpec {
  /** The source names, as written in a config. */
  List<String> SOURCES = List.of("toy", "file", "grf");
  /** The transform names. */
  List<String> TRANSFORMS = List.of("auto", "standardize", "image", "none");

  /** The fraction of samples held out for validation, in [0, 1). */
  Double validation();

  /** auto, standardize, image or none. */
  String transform();

  static double checkValidation(Double v) {
    return Checks.inHalfOpen("validation", Checks.or(v, 0.05), 0, 0.9);
  }

  static String checkTransform(String t) {
    return Checks.oneOf("transform", Checks.or(t, "auto"), TRANSFORMS);
  }

  /** The parameter transform names. */
  List<String> PARAMETER_TRANSFORMS = List.of("standardize", "none");

  /** How the condition π is transformed: standardize (the default) or none; "none" for data without π. */
  default String parametersTransform() {
    return "none";
  }

  static String checkParametersTransform(String t) {
    return Checks.oneOf("parametersTransform", Checks.or(t, "standardize"), PARAMETER_TRANSFORMS);
  }
}
