package org.sbgm.config;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.sbgm.sde.Sde;
import org.sbgm.sde.Sdes;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;

/**
 * The forward SDE: {@code vp} or {@code subvp} with a linear β(t) from {@code betaMin} to {@code betaMax}
 * over [0, horizon] (defaults 0.1, 20, 1), or {@code ve} with the geometric σ(t) from {@code sigmaMin}
 * to {@code sigmaMax} (defaults 0.01, 50; Song et al. 2021 advise σ_max of the order of the largest
 * distance between training points).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SdeSpec(String type, Double betaMin, Double betaMax, Double sigmaMin, Double sigmaMax, Double horizon) {

  public SdeSpec {
    try {
      type = Sdes.canonicalName(type == null ? "vp" : type);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("type: " + e.getMessage(), e);
    }
    horizon = Checks.positive("horizon", Checks.or(horizon, 1.0));
    if (type.equals("ve")) {
      Checks.absent("betaMin", betaMin, "a ve SDE takes sigmaMin and sigmaMax");
      Checks.absent("betaMax", betaMax, "a ve SDE takes sigmaMin and sigmaMax");
      sigmaMin = Checks.positive("sigmaMin", Checks.or(sigmaMin, 0.01));
      sigmaMax = Checks.positive("sigmaMax", Checks.or(sigmaMax, 50.0));
      if (!(sigmaMax > sigmaMin)) {
        throw new InvalidInputException("sigmaMax must exceed sigmaMin (" + sigmaMin + "), got " + sigmaMax);
      }
    } else {
      Checks.absent("sigmaMin", sigmaMin, "a " + type + " SDE takes betaMin and betaMax");
      Checks.absent("sigmaMax", sigmaMax, "a " + type + " SDE takes betaMin and betaMax");
      betaMin = Checks.positive("betaMin", Checks.or(betaMin, 0.1));
      betaMax = Checks.positive("betaMax", Checks.or(betaMax, 20.0));
      if (!(betaMax >= betaMin)) {
        throw new InvalidInputException("betaMax must be at least betaMin (" + betaMin + "), got " + betaMax);
      }
    }
  }

  /** The SDE named {@code type} with its defaults. */
  public static SdeSpec of(String type) {
    return new SdeSpec(type, null, null, null, null, null);
  }

  /** The core SDE. */
  public Sde create() {
    switch (type) {
      case "vp":
        return new VpSde(betaMin, betaMax, horizon);
      case "subvp":
        return new SubVpSde(betaMin, betaMax, horizon);
      default:
        return new VeSde(sigmaMin, sigmaMax, horizon);
    }
  }
}
