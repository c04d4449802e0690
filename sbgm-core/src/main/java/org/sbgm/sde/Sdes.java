package org.sbgm.sde;

import java.util.List;
import java.util.Locale;
import org.sbgm.InvalidInputException;

/**
 * Factories for the three SDEs and the one parser of their names. (The reverse-time dynamics of a
 * model, which need its score, live with the score: {@code org.sbgm.score.ReverseTime}.)
 */
public final class Sdes {
  private Sdes() {}

  /** The names {@link #parse} accepts, in their canonical spelling (sub-VP is also {@code sub-vp} and {@code sub_vp}). */
  public static final List<String> NAMES = List.of("vp", "subvp", "ve");

  /** VP with β linear 0.1 → 20 on [0, 1]. */
  public static VpSde vp() {
    return new VpSde();
  }

  /** sub-VP with β linear 0.1 → 20 on [0, 1]. */
  public static SubVpSde subVp() {
    return new SubVpSde();
  }

  /** VE with the geometric schedule σ_min → σ_max on [0, 1]. */
  public static VeSde ve(double sigmaMin, double sigmaMax) {
    return new VeSde(sigmaMin, sigmaMax);
  }

  /**
   * The canonical spelling ({@code vp}, {@code subvp} or {@code ve}) of an SDE name given in any case,
   * with sub-VP also written {@code sub-vp} or {@code sub_vp}.
   *
   * @throws InvalidInputException for any other name, naming it and the allowed ones
   */
  public static String canonicalName(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    if (!NAMES.contains(key)) {
      throw new InvalidInputException("the SDE must be one of vp, subvp or ve (sub-VP may also be written sub-vp or "
          + "sub_vp), got " + (name == null ? "nothing" : "'" + name + "'"));
    }
    return key;
  }

  /**
   * The SDE named {@code vp}, {@code subvp} or {@code ve} ({@link #canonicalName}), with default
   * hyper-parameters (VP and sub-VP: β linear 0.1 → 20; VE: σ_min = 0.01, σ_max = 50; T = 1).
   *
   * @throws InvalidInputException for any other name, naming it and the allowed ones
   */
  public static Sde parse(String name) {
    return switch (canonicalName(name)) {
      case "vp" -> vp();
      case "subvp" -> subVp();
      default -> new VeSde();
    };
  }
}
