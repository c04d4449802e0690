package org.sbgm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Device;
import org.sbgm.cli.config.ConfigFiles;
import org.sbgm.cli.config.SdeSpec;
import org.sbgm.cli.model.LoadedModel;
import org.sbgm.cli.model.ModelDirectory;
import org.sbgm.cli.model.TransformSpec;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.score.ScoreFunction;
import org.sbgm.sde.Sde;

/**
 * What {@code sample} and {@code loglik} run on: a trained model from its directory, or the exact
 * score of a Gaussian mixture ({@code --oracle}) under a named SDE.
 *
 * @param score the score s(x, t | π) (evaluated on the chosen device)
 * @param sde the forward SDE
 * @param sampleShape the shape of one sample
 * @param conditionDim P (0 when unconditional)
 * @param transform the model's data transform (none for the oracle)
 * @param oracle the exact mixture score, or null for a trained model
 * @param model the trained model, or null for the oracle
 */
record ScoreSource(ScoreFunction score, Sde sde, long[] sampleShape, int conditionDim, TransformSpec transform,
    GaussianMixtureScore oracle, LoadedModel model) {

  /** A JSON mixture: {"weights": [K], "means": [K][D], "covariances": [K][D][D]}. */
  record MixtureFile(double[] weights, double[][] means, double[][][] covariances) {}

  /** Opens the model directory or the oracle file; exactly one must be given ({@code sde} only with the oracle). */
  static ScoreSource open(Path model, Path oracle, String sde, Device device) {
    if ((model == null) == (oracle == null)) {
      throw new UserError(model == null ? "give a model with --model DIR, or an exact mixture with --oracle FILE.json"
          : "give either --model or --oracle, not both");
    }
    if (model != null) {
      if (sde != null) {
        throw new UserError("--sde applies only with --oracle; a model directory records its own SDE");
      }
      LoadedModel m = ModelDirectory.load(model);
      int p = m.spec().conditionDim();
      return new ScoreSource(DeviceScore.on(m.score(), m.network(), device), m.sde(), m.spec().sampleShape(), p,
          m.spec().transform(), null, m);
    }
    Sde forward;
    try {
      forward = SdeSpec.of(sde == null ? "vp" : sde).create();
    } catch (IllegalArgumentException e) {
      throw new UserError("--sde must be one of vp, subvp, ve, got '" + sde + "'");
    }
    MixtureFile f = readMixture(oracle);
    GaussianMixtureScore exact;
    try {
      exact = new GaussianMixtureScore(f.weights(), f.means(), f.covariances(), forward);
    } catch (IllegalArgumentException e) {
      throw new UserError("oracle file '" + oracle + "': " + e.getMessage(), e);
    }
    return new ScoreSource(exact, forward, new long[] {exact.mixture().dimension()}, 0, TransformSpec.none(), exact, null);
  }

  private static MixtureFile readMixture(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("oracle file '" + file + "' does not exist");
    }
    try {
      MixtureFile f = ConfigFiles.json().readValue(file.toFile(), MixtureFile.class);
      if (f == null || f.weights() == null || f.means() == null || f.covariances() == null) {
        throw new UserError("oracle file '" + file + "' must hold \"weights\", \"means\" and \"covariances\"");
      }
      return f;
    } catch (IOException e) {
      String msg = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
      throw new UserError("oracle file '" + file + "' is not a mixture in JSON ({\"weights\": [...], \"means\": [[...]], "
          + "\"covariances\": [[[...]]]}): " + msg.lines().findFirst().orElse(msg), e);
    }
  }

  /** True when samples are 8-bit images in data units. */
  boolean images() {
    return transform.isImage();
  }

  /** D, values per sample. */
  long dimension() {
    long d = 1;
    for (long s : sampleShape) {
      d *= s;
    }
    return d;
  }
}
