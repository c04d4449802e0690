package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.cli.config.ConfigFiles;
import org.sbgm.cli.config.RunConfig;
import org.sbgm.cli.model.LoadedModel;
import org.sbgm.cli.model.ModelDirectory;
import org.sbgm.io.Manifest;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.torch.Torch;

/** Model directories: round trip, verification, clear refusals. */
class ModelDirectoryTest {
  @TempDir static Path dir;
  static Path model;
  static double[] trainedScores;

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    RunConfig config = ConfigFiles.readRunConfig(Cli.write(dir.resolve("tiny.yaml"), Cli.tinyConfig(30)));
    model = dir.resolve("model");
    TrainingRun.Outcome o = TrainingRun.run(config, model, false, null, Progress.silent());
    trainedScores = scores(o.score());
  }

  /** The score at fixed points and times (no grad), as doubles. */
  static double[] scores(ScoreFunction s) {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      double[] xy = new double[40];
      double[] ts = new double[20];
      for (int i = 0; i < 20; i++) {
        xy[2 * i] = Math.sin(i) * 2;
        xy[2 * i + 1] = Math.cos(3 * i);
        ts[i] = 0.001 + 0.05 * i;
      }
      Tensor x = Torch.tensor(xy, org.sbgm.torch.DType.FLOAT32, 20, 2);
      Tensor t = Torch.tensor(ts, org.sbgm.torch.DType.FLOAT32, 20);
      return Torch.toDoubles(s.score(x, t, Condition.NONE));
    }
  }

  @Test
  void loadingGivesBitIdenticalScores() {
    LoadedModel loaded = ModelDirectory.load(model);
    assertArrayEquals(trainedScores, scores(loaded.score()));
    assertEquals(30, loaded.spec().provenance().step());
    assertEquals("standardize", loaded.spec().transform().type());
  }

  @Test
  void samplesAreReproducibleFromTheSeed() throws Exception {
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    Cli.ok("sample", "--model", model.toString(), "--n", "20", "--sampler", "pc", "--steps", "10", "--seed", "9", "--out", a.toString(), "--quiet");
    Cli.ok("sample", "--model", model.toString(), "--n", "20", "--sampler", "pc", "--steps", "10", "--seed", "9", "--out", b.toString(), "--quiet");
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void aFlippedByteInTheWeightsIsRefusedNamingTheFile() throws Exception {
    Path copy = copyModel("flipped");
    byte[] w = Files.readAllBytes(copy.resolve("weights.pt"));
    w[w.length / 2] ^= 0x10;
    Files.write(copy.resolve("weights.pt"), w);
    Path out = dir.resolve("never.npy");
    Cli.userError(Cli.args("sample", "--model", copy.toString(), "--n", "5", "--out", out.toString(), "--quiet"),
        "weights.pt", "SHA-256");
    assertFalse(Files.exists(out));
  }

  @Test
  void incompleteDirectoriesAreRefused() throws Exception {
    Path out = dir.resolve("x.npy");
    Cli.userError(Cli.args("sample", "--model", dir.resolve("nowhere").toString(), "--n", "5", "--out", out.toString()),
        "nowhere", "does not exist");
    Cli.userError(Cli.args("sample", "--model", dir.resolve("tiny.yaml").toString(), "--n", "5", "--out", out.toString()),
        "tiny.yaml", "is a file");
    Path noManifest = copyModel("no-manifest");
    Files.delete(noManifest.resolve(Manifest.FILE_NAME));
    Cli.userError(Cli.args("sample", "--model", noManifest.toString(), "--n", "5", "--out", out.toString()),
        "no manifest.sha256", "--resume");
    Path noSpec = copyModel("no-spec");
    Files.delete(noSpec.resolve("model.yaml"));
    Cli.userError(Cli.args("loglik", "--model", noSpec.toString(), "--data", out.toString(), "--out", out.toString()),
        "no model.yaml");
    Path extra = copyModel("extra");
    Files.writeString(extra.resolve("notes.txt"), "hello");
    Cli.userError(Cli.args("sample", "--model", extra.toString(), "--n", "5", "--out", out.toString()),
        "notes.txt", "no checksum");
    assertFalse(Files.exists(out));
  }

  @Test
  void aJsonDescriptionIsAccepted() throws Exception {
    Path copy = copyModel("json");
    var spec = ConfigFiles.read(copy.resolve("model.yaml"), org.sbgm.cli.model.ModelSpec.class);
    Files.writeString(copy.resolve("model.json"), ConfigFiles.toJson(spec));
    Files.delete(copy.resolve("model.yaml"));
    Manifest.write(copy);
    assertArrayEquals(trainedScores, scores(ModelDirectory.load(copy).score()));
  }

  @Test
  void aBadKeyInModelYamlIsNamed() throws Exception {
    Path copy = copyModel("badkey");
    String text = Files.readString(copy.resolve("model.yaml")).replace("parameterisation: epsilon", "parametrisation: epsilon");
    Files.writeString(copy.resolve("model.yaml"), text);
    Manifest.write(copy);
    Cli.userError(Cli.args("sample", "--model", copy.toString(), "--n", "5", "--out", dir.resolve("y.npy").toString()),
        "unknown key 'parametrisation'");
  }

  private static Path copyModel(String name) throws Exception {
    Path copy = dir.resolve(name);
    Files.createDirectories(copy);
    try (var s = Files.list(model)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    assertTrue(Files.exists(copy.resolve(Manifest.FILE_NAME)));
    return copy;
  }
}
