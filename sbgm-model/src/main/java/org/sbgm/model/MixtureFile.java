package org.sbgm.model;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.Sde;

/**
 * A Gaussian mixture Σ_k w_k N(μ_k, Σ_k) in JSON: {@code {"weights": [K], "means": [K][D],
 * "covariances": [K][D][D]}}, optionally with {@code "maps": [K][D][P]}: then the conditional mixture
 * p(x | π) = Σ_k w_k N(μ_k + A_k π, Σ_k) ({@link ConditionalGaussianMixtureScore}). The mixture checks its own
 * values (weights positive and summing to one, covariances symmetric positive definite, every number finite).
 *
 * @param weights the K weights
 * @param means the K means of D values
 * @param covariances the K covariances, D×D each
 * @param maps the K maps A_k, D×P each, or null
 */
public record MixtureFile(double[] weights, double[][] means, double[][][] covariances, double[][][] maps) {
  /** A mixture and its maps (null for an unconditional one). */
  public record Read(GaussianMixture mixture, double[][][] maps) {}

  /** The largest mixture file read. */
  public static final long MAX_BYTES = 256L << 20;

  /** Reads and checks the (unconditional) mixture in {@code file}. */
  public static GaussianMixture read(Path file) {
    Read r = readAny(file);
    if (r.maps() != null) {
      throw new InvalidInputException("mixture file '" + file + "' holds a conditional mixture (\"maps\"); expected an "
          + "unconditional one here");
    }
    return r.mixture();
  }

  /** Reads and checks the mixture in {@code file}, conditional or not. */
  public static Read readAny(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("mixture file '" + file + "' does not exist");
    }
    MixtureFile f;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InvalidInputException("mixture file '" + file + "' is " + size + " bytes; at most " + MAX_BYTES
            + " bytes (256 MiB) are read");
      }
      f = ConfigFiles.json().readValue(file.toFile(), MixtureFile.class);
    } catch (IOException e) {
      // the key or the syntax error with its line and column, without the parser's description of its input
      String msg = e instanceof JacksonException j ? ConfigFiles.describe(j, file) : String.valueOf(e.getMessage());
      throw new InvalidInputException("mixture file '" + file + "' is not a mixture in JSON ({\"weights\": [...], "
          + "\"means\": [[...]], \"covariances\": [[[...]]]}): " + msg.lines().findFirst().orElse(msg), e);
    }
    if (f == null || f.weights() == null || f.means() == null || f.covariances() == null) {
      throw new InvalidInputException("mixture file '" + file + "' must hold \"weights\", \"means\" and \"covariances\"");
    }
    try {
      return new Read(new GaussianMixture(f.weights(), f.means(), f.covariances()), f.maps());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("mixture file '" + file + "': " + e.getMessage(), e);
    }
  }

  /** The conditional oracle of a mixture with maps read from {@code file}. */
  static ConditionalGaussianMixtureScore conditional(Path file, Read read, Sde sde) {
    try {
      return new ConditionalGaussianMixtureScore(read.mixture(), read.maps(), sde);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("mixture file '" + file + "': " + e.getMessage(), e);
    }
  }
}
