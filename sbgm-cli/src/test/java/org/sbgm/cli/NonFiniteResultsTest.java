package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;
import org.sbgm.model.LikelihoodSpec;
import org.sbgm.model.Model;
import org.sbgm.model.NonFiniteResultException;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * A log-likelihood that is not representable (a point so far out that its density underflows double precision)
 * is a run that cannot answer: exit status 1 with one sentence naming the point, and no output written; and two
 * outputs naming one file are refused before the work.
 */
class NonFiniteResultsTest {
  @TempDir Path dir;

  @Test
  void aPointTooFarOutFailsTheRunNamingIt() throws Exception {
    Path config = Cli.write(dir.resolve("tiny.yaml"), Cli.tinyConfig(10));
    Path model = dir.resolve("model");
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    // float32: |x|^2 of the far point overflows in log p_T
    Path far = dir.resolve("far.npy");
    Npy.write(far, new double[] {0.5, 0, 1e30, 0, -1, 1}, 3, 2);
    Path out = dir.resolve("ll.npy");
    Cli.runFailed(Cli.args("loglik", "--model", model.toString(), "--data", far.toString(), "--out", out.toString(),
        "--quiet", "--threads", "1"), "log p(x) of point 1 is -Infinity (1 of 3 points non-finite)", "|coordinate| is 1.000e+30");
    assertFalse(Files.exists(out), "no output for a failed run");

    Model loaded = Model.load(model);
    NonFiniteResultException e = assertThrows(NonFiniteResultException.class, () -> loaded.logLikelihood(
        LikelihoodSpec.defaults(), Torch.tensor(new double[] {1e30, 0}, DType.FLOAT32, 1, 2), Condition.NONE, 16, 0, null));
    assertTrue(e.getMessage().startsWith("log p(x) of point 0 is -Infinity"), e.getMessage());
  }

  @Test
  void twoPicturesCannotShareAFile() {
    Path png = dir.resolve("a.png");
    Cli.userError(Cli.args("sample", "--oracle", ShardedCliTest.MIXTURE.toString(), "--n", "4", "--out",
        dir.resolve("s.npy").toString(), "--png", png.toString(), "--trajectory", dir.resolve("./a.png").toString(),
        "--quiet"), "--png and --trajectory both name '" + png + "'");
    assertFalse(Files.exists(dir.resolve("s.npy")));
  }

  @Test
  void moreSamplesThanOneArrayHoldsAreRefusedBeforeTheWork() {
    Cli.userError(Cli.args("sample", "--oracle", ShardedCliTest.MIXTURE.toString(), "--n", "100000000000", "--out",
        dir.resolve("s.npy").toString(), "--quiet"), "--n 100000000000 rows of shape [2]", "would make an array of 745.1 GiB, more than the");
  }
}
