package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** sbgm sample with the few-step samplers, sbgm posterior and sbgm measure, on the exact eight-Gaussians mixture. */
class FewStepAndPosteriorCliTest {
  @TempDir static Path dir;
  static Path mixture;

  @BeforeAll
  static void files() throws Exception {
    Torch.init();
    mixture = Cli.eightGaussiansJson(dir.resolve("eight.json"));
    try (PointerScope scope = new PointerScope()) {
      Npy.write(dir.resolve("A.npy"), Torch.tensor(new double[] {1.0, 0.5}, DType.FLOAT64, 1, 2));
      Npy.write(dir.resolve("y.npy"), Torch.tensor(new double[] {1.5}, DType.FLOAT64, 1));
      Npy.write(dir.resolve("mask.npy"), Torch.tensor(new double[] {1, 0}, DType.FLOAT64, 2));
      Npy.write(dir.resolve("half.npy"), Torch.tensor(new double[] {1, 0.5}, DType.FLOAT64, 2));
      Npy.write(dir.resolve("y2.npy"), Torch.tensor(new double[] {2.0, 0}, DType.FLOAT64, 2));
    }
  }

  @Test
  void everyFewStepSamplerPrintsItsNfeAndSamplesTheMixture() {
    for (String sde : List.of("vp", "subvp", "ve")) {
      for (String[] c : new String[][] {{"ddim", "30", "30"}, {"edm-heun", "15", "30"}, {"dpm-solver++", "30", "30"}}) {
        Path out = dir.resolve(c[0] + "-" + sde + ".npy");
        Cli.Result r = Cli.ok("sample", "--oracle", mixture.toString(), "--sde", sde, "--n", "1000", "--sampler", c[0],
            "--steps", c[1], "--out", out.toString(), "--quiet", "--threads", "1");
        assertEquals(Double.parseDouble(c[2]), r.number("nfe"), r.out());
        assertTrue(r.out().contains("sampler: " + c[0] + " (" + c[1] + " steps"), r.out());
        assertEquals(r.number("exact_logp_of_true_draws"), r.number("exact_logp_of_samples"), 0.25, c[0] + " " + sde + ": " + r.out());
      }
    }
    Cli.ok("sample", "--oracle", mixture.toString(), "--n", "100", "--sampler", "edm-heun", "--churn", "40,0.05,50,1.003",
        "--out", dir.resolve("churn.npy").toString(), "--quiet", "--threads", "1");
    Cli.ok("sample", "--oracle", mixture.toString(), "--n", "100", "--sampler", "ddim", "--eta", "1", "--grid", "logsnr",
        "--out", dir.resolve("eta.npy").toString(), "--quiet", "--threads", "1");
    Cli.userError(Cli.args("sample", "--oracle", mixture.toString(), "--n", "4", "--sampler", "pc", "--eta", "1", "--out",
        dir.resolve("no.npy").toString()), "eta applies only to the ddim and dpm-solver++ samplers");
    Cli.userError(Cli.args("sample", "--oracle", mixture.toString(), "--n", "4", "--sampler", "edm-heun", "--churn", "1,2",
        "--out", dir.resolve("no.npy").toString()), "--churn takes S_churn or S_churn,S_tmin,S_tmax,S_noise");
    assertFalse(Files.exists(dir.resolve("no.npy")));
  }

  @Test
  void posteriorSamplesAgainstTheExactPosteriorAndRefusesBadInputsWritingNothing() throws Exception {
    Path out = dir.resolve("post.npy");
    Path png = dir.resolve("post.png");
    Cli.Result r = Cli.ok("posterior", "--oracle", mixture.toString(), "--observation", dir.resolve("y.npy").toString(),
        "--operator", "matrix:" + dir.resolve("A.npy"), "--noise", "0.3", "--method", "mmps", "--n", "500", "--out", out.toString(),
        "--png", png.toString(), "--quiet", "--threads", "1");
    assertEquals(500 * 2, Npy.read(out).data().length);
    assertTrue(Files.size(png) > 1000);
    assertEquals(100, r.number("nfe"), r.out());
    assertTrue(r.number("vjps") > 100, r.out());
    assertTrue(r.number("mean_error") < 0.5, r.out());
    Cli.Result repaint = Cli.ok("posterior", "--oracle", mixture.toString(), "--observation", dir.resolve("y2.npy").toString(),
        "--operator", "mask:" + dir.resolve("mask.npy"), "--noise", "0.1", "--method", "repaint", "--passes", "3", "--n", "200",
        "--out", dir.resolve("repaint.npy").toString(), "--quiet", "--threads", "1");
    assertEquals(300, repaint.number("nfe"), repaint.out());
    Path no = dir.resolve("nothing.npy");
    String[] base = {"posterior", "--oracle", mixture.toString(), "--n", "4", "--out", no.toString(), "--quiet"};
    Cli.userError(concat(base, "--observation", dir.resolve("y2.npy").toString(), "--operator", "mask:" + dir.resolve("half.npy"),
        "--noise", "0.1"), "--operator: a mask must hold only 0 (unobserved) and 1 (observed), but entry 1 is 0.5");
    Cli.userError(concat(base, "--observation", dir.resolve("y.npy").toString(), "--operator", "matrix:" + dir.resolve("A.npy"),
        "--noise", "-0.1"), "--noise must be a finite number >= 0, got -0.1");
    Cli.userError(concat(base, "--observation", dir.resolve("y2.npy").toString(), "--operator", "matrix:" + dir.resolve("A.npy"),
        "--noise", "0.1"), "the observation has shape [2], but the operator (dense matrix [1, 2]) produces [1]");
    Cli.userError(concat(base, "--observation", dir.resolve("y2.npy").toString(), "--operator", "downsample:3", "--noise", "0.1"),
        "the downsampling factor 3 does not divide the size 2");
    Cli.userError(concat(base, "--observation", dir.resolve("y2.npy").toString(), "--operator", "blur:1", "--noise", "0.1",
        "--method", "repaint"), "replacement (RePaint) inpainting needs a mask operator");
    Cli.userError(concat(base, "--observation", dir.resolve("y2.npy").toString(), "--operator", "mask:" + dir.resolve("m.npy"),
        "--noise", "0.1"), "the mask file", "does not exist");
    assertFalse(Files.exists(no));
  }

  @Test
  void measureRefusesWhatItCannotRun() {
    Cli.userError(Cli.args("measure", "everything", "--out", dir.resolve("m").toString()), "the study must be samplers, inverse or grf");
    Cli.userError(Cli.args("measure", "grf", "--out", dir.resolve("m").toString()), "measure grf needs --model DIR");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
