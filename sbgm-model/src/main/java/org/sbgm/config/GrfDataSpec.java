package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.util.List;

/**
 * {@code n} Gaussian random fields of {@code size}×{@code size} with power spectrum P(k) = A k^-B, A and B
 * drawn uniformly from {@code amplitude} and {@code exponent} per field; the model is conditioned on
 * π = (A, B), standardised by default ({@code parametersTransform}).
 */
public record GrfDataSpec(Integer size, Long n, Long seed, List<Double> amplitude, List<Double> exponent,
    Double zeroModeVariance, Double validation, String transform, String parametersTransform) implements DataSpec {
  public GrfDataSpec {
    size = Checks.atLeast("size", Checks.or(size, 16), 2);
    n = Checks.atLeast("n", Checks.or(n, 10_000L), 2);
    seed = Checks.or(seed, 0L);
    amplitude = Checks.range("amplitude", amplitude, List.of(0.5, 2.0), true);
    exponent = Checks.range("exponent", exponent, List.of(2.0, 4.0), false);
    zeroModeVariance = Checks.positive("zeroModeVariance", Checks.or(zeroModeVariance, 1e-4));
    validation = DataSpec.checkValidation(validation);
    transform = DataSpec.checkTransform(transform);
    parametersTransform = DataSpec.checkParametersTransform(parametersTransform);
    if (transform.equals("image")) {
      throw new InvalidInputException("transform image needs 8-bit images, but random fields are real-valued; use standardize or none");
    }
  }
}
