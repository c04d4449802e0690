package org.sbgm.model;

import java.util.List;
import java.util.Locale;
import org.sbgm.InvalidInputException;
import org.sbgm.inverse.Dps;
import org.sbgm.inverse.GuidedPosterior;
import org.sbgm.inverse.PosteriorSampler;
import org.sbgm.inverse.Replacement;
import org.sbgm.sample.TimeGrid;
import org.sbgm.solve.StepObserver;
import org.sbgm.torch.DType;

/**
 * A posterior sampler by name and settings, the one name → method mapping of {@code sbgm posterior}:
 * <ul>
 *   <li>{@code dps}: diffusion posterior sampling, default 200 ancestral steps on a uniform grid,
 *       step size {@code zeta} (default {@value org.sbgm.inverse.Dps#DEFAULT_ZETA});
 *   <li>{@code pigdm}: ΠGDM, default 100 ancestral DDIM steps on the log-SNR grid, up to
 *       {@code iterations} (default 20) conjugate-gradient steps;
 *   <li>{@code mmps}: MMPS, the same sampler with the Tweedie covariance, {@code iterations} (default 2, safe
 *       with trained networks; 5 are more accurate with an exact score) conjugate-gradient steps, one VJP each;
 *   <li>{@code repaint}: replacement inpainting (masks only), default 100 ancestral steps on a uniform
 *       grid, {@code passes} (default 1, plain replacement; RePaint uses 10).
 * </ul>
 *
 * @param name the method
 * @param steps the number of steps, or null for the default
 * @param zeta dps only: the step size, or null
 * @param iterations pigdm and mmps only: conjugate-gradient iterations, or null
 * @param passes repaint only: passes per step, or null
 */
public record PosteriorSpec(String name, Integer steps, Double zeta, Integer iterations, Integer passes) {
  /** The method names. */
  public static final List<String> NAMES = List.of("dps", "pigdm", "mmps", "repaint");

  /** Checks the combination of settings. */
  public PosteriorSpec {
    name = name == null ? "mmps" : name.trim().toLowerCase(Locale.ROOT);
    if (!NAMES.contains(name)) {
      throw new InvalidInputException("method must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
    }
    if (steps != null && steps < 1) {
      throw new InvalidInputException("steps must be at least 1, got " + steps);
    }
    if (zeta != null && !name.equals("dps")) {
      throw new InvalidInputException("zeta applies only to the dps method, not to " + name);
    }
    if (iterations != null && !name.equals("pigdm") && !name.equals("mmps")) {
      throw new InvalidInputException("iterations apply only to the pigdm and mmps methods, not to " + name);
    }
    if (iterations != null && iterations < 1) {
      throw new InvalidInputException("iterations must be at least 1, got " + iterations);
    }
    if (passes != null && !name.equals("repaint")) {
      throw new InvalidInputException("passes apply only to the repaint method, not to " + name);
    }
    if (passes != null && passes < 1) {
      throw new InvalidInputException("passes must be at least 1, got " + passes);
    }
    if (zeta != null && (!(zeta >= 0) || !Double.isFinite(zeta))) {
      throw new InvalidInputException("zeta must be a finite number >= 0, got " + zeta);
    }
  }

  /** The method {@code name} with its defaults. */
  public static PosteriorSpec of(String name) {
    return new PosteriorSpec(name, null, null, null, null);
  }

  /** The number of steps, with the method's default. */
  public int stepsOr() {
    return steps != null ? steps : name.equals("dps") ? 200 : 100;
  }

  /** The sampler computing in {@code dtype}, reporting each step to {@code observer} (null for none). */
  public PosteriorSampler create(StepObserver observer, DType dtype) {
    int k = stepsOr();
    PosteriorSampler s = switch (name) {
      case "dps" -> new Dps(k, zeta == null ? Dps.DEFAULT_ZETA : zeta, SamplerSpec.EPSILON, TimeGrid.uniform(), dtype, null);
      case "pigdm" -> GuidedPosterior.piGdm(GuidedPosterior.defaultBase(k), iterations == null ? 20 : iterations);
      case "mmps" -> GuidedPosterior.mmps(GuidedPosterior.defaultBase(k), iterations == null ? GuidedPosterior.MMPS_ITERATIONS : iterations);
      default -> new Replacement(k).withPasses(passes == null ? 1 : passes);
    };
    s = s.withDType(dtype);
    return observer == null ? s : s.withObserver(observer);
  }
}
