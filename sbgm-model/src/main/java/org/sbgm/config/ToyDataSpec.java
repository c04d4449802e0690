package org.sbgm.config;

import org.sbgm.InvalidInputException;
import java.util.List;

/** {@code n} points of a 2-D toy distribution (eight-gaussians, moons, swiss-roll, checkerboard) drawn with {@code seed}. */
public record ToyDataSpec(String name, Long n, Long seed, Double validation, String transform) implements DataSpec {
  /** The toy names. */
  public static final List<String> NAMES = List.of("eight-gaussians", "moons", "swiss-roll", "checkerboard");

  public ToyDataSpec {
    name = Checks.oneOf("name", Checks.required("name", name, "one of " + String.join(", ", NAMES)), NAMES);
    n = Checks.atLeast("n", Checks.or(n, 50_000L), 2);
    seed = Checks.or(seed, 0L);
    validation = DataSpec.checkValidation(validation);
    transform = DataSpec.checkTransform(transform);
    if (transform.equals("image")) {
      throw new InvalidInputException("transform image needs 8-bit images, but toy data are 2-D points; use standardize or none");
    }
  }
}
