package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.io.Manifest;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreFunction;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Model directories through the library: round trip, verification, clear refusals, attached files. */
class ModelDirectoryTest {
  @TempDir static Path dir;
  static Path model;
  static double[] trainedScores;

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    model = dir.resolve("model");
    TrainedModel o = Training.fromFile(TinyRuns.config(dir.resolve("tiny.yaml"), 30)).run(model);
    trainedScores = scores(o.model().diffusionModel());
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
      Tensor x = Torch.tensor(xy, DType.FLOAT32, 20, 2);
      Tensor t = Torch.tensor(ts, DType.FLOAT32, 20);
      return Torch.toDoubles(s.score(x, t, Condition.NONE));
    }
  }

  @Test
  void loadingGivesBitIdenticalScoresAndTheProvenance() {
    Model loaded = Model.load(model);
    assertArrayEquals(trainedScores, scores(loaded.diffusionModel()));
    ModelSpec spec = loaded.spec().orElseThrow();
    assertEquals(30, spec.provenance().step());
    assertEquals(3, spec.provenance().seed());
    assertEquals("standardize", spec.transform().type());
    assertArrayEquals(new long[] {2}, loaded.sampleShape());
    assertEquals(model, loaded.directory().orElseThrow());
  }

  @Test
  void aJsonDescriptionIsAccepted() throws Exception {
    Path copy = TinyRuns.copy(model, dir.resolve("json"));
    ModelSpec spec = ConfigFiles.read(copy.resolve("model.yaml"), ModelSpec.class);
    Files.writeString(copy.resolve("model.json"), ConfigFiles.toJson(spec));
    Files.delete(copy.resolve("model.yaml"));
    Manifest.write(copy);
    assertArrayEquals(trainedScores, scores(Model.load(copy).diffusionModel()));
  }

  @Test
  void aFlippedByteInTheWeightsIsRefusedNamingTheFile() throws Exception {
    Path copy = TinyRuns.copy(model, dir.resolve("flipped"));
    byte[] w = Files.readAllBytes(copy.resolve("weights.pt"));
    w[w.length / 2] ^= 0x10;
    Files.write(copy.resolve("weights.pt"), w);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Model.load(copy));
    assertTrue(e.getMessage().contains("weights.pt") && e.getMessage().contains("SHA-256"), e.getMessage());
  }

  @Test
  void incompleteOrForeignDirectoriesAreRefused() throws Exception {
    refused(dir.resolve("nowhere"), "nowhere", "does not exist");
    refused(dir.resolve("tiny.yaml"), "tiny.yaml", "is a file");
    Path noManifest = TinyRuns.copy(model, dir.resolve("no-manifest"));
    Files.delete(noManifest.resolve(Manifest.FILE_NAME));
    refused(noManifest, "no manifest.sha256", "resume");
    Path noSpec = TinyRuns.copy(model, dir.resolve("no-spec"));
    Files.delete(noSpec.resolve("model.yaml"));
    refused(noSpec, "no model.yaml");
    Path extra = TinyRuns.copy(model, dir.resolve("extra"));
    Files.writeString(extra.resolve("notes.txt"), "hello");
    refused(extra, "notes.txt", "no checksum");
    Path badKey = TinyRuns.copy(model, dir.resolve("badkey"));
    String text = Files.readString(badKey.resolve("model.yaml")).replace("parameterisation: epsilon", "parametrisation: epsilon");
    Files.writeString(badKey.resolve("model.yaml"), text);
    Manifest.write(badKey);
    refused(badKey, "unknown key 'parametrisation'");
  }

  @Test
  void aBadValueInTheDescriptionNamesTheFileTheKeyAndItsLine() throws Exception {
    String text = Files.readString(model.resolve("model.yaml"));
    assertEquals("model description '" + model.resolve("model.yaml") + "': format must be sbgm-model/1, got 'sbgm-model/9' (line 1)",
        edited("format", text.replace("format: sbgm-model/1", "format: sbgm-model/9")));
    assertEquals("model description '" + model.resolve("model.yaml") + "': parameterisation must be one of epsilon, score, "
        + "got 'noise' (line " + lineOf(text, "parameterisation: epsilon") + ")",
        edited("parameterisation", text.replace("parameterisation: epsilon", "parameterisation: noise")));
    // the first std of the data transform (which, at 0, would divide by zero), on the line after "  std:"
    int std = lineOf(text, "  std:");
    String[] lines = text.split("\n", -1);
    lines[std] = "    - 0.0";
    assertEquals("model description '" + model.resolve("model.yaml") + "': transform.std[0] must be a positive finite number "
        + "(a standard deviation), got 0.0 (line " + (std + 1) + ")", edited("std", String.join("\n", lines)));
  }

  /** The message refusing a copy of the model whose description reads {@code text} (sealed with a new manifest). */
  private static String edited(String name, String text) throws Exception {
    Path copy = TinyRuns.copy(model, dir.resolve("edited-" + name));
    Files.writeString(copy.resolve("model.yaml"), text);
    Manifest.write(copy);
    String message = assertThrows(InvalidInputException.class, () -> Model.load(copy)).getMessage();
    return message.replace(copy.toString(), model.toString());
  }

  /** The 1-based line of {@code text} that starts with {@code start}. */
  private static int lineOf(String text, String start) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(start)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line starts with '" + start + "'");
  }

  @Test
  void anAttachedFileIsCoveredByANewManifest() throws Exception {
    Path copy = TinyRuns.copy(model, dir.resolve("attached"));
    ModelDirectory.attach(copy, "notes.txt", out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals("hello", Files.readString(copy.resolve("notes.txt")));
    assertTrue(Manifest.read(copy).containsKey("notes.txt"));
    assertArrayEquals(trainedScores, scores(Model.load(copy).diffusionModel()));
    assertThrows(InvalidInputException.class, () -> ModelDirectory.attach(copy, "weights.pt", out -> {}));
    Files.writeString(copy.resolve("notes.txt"), "changed");
    refused(copy, "notes.txt");
  }

  @Test
  void trainingRefusesANonEmptyDirectoryAndResumingNothing() throws Exception {
    Path target = Files.createDirectories(dir.resolve("occupied"));
    Files.writeString(target.resolve("keep.txt"), "mine");
    Training t = Training.fromFile(TinyRuns.config(dir.resolve("again.yaml"), 5));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.run(target));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals("mine", Files.readString(target.resolve("keep.txt")));
    e = assertThrows(InvalidInputException.class, () -> t.resume(dir.resolve("absent")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("absent")));
  }

  private static void refused(Path p, String... fragments) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Model.load(p));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
    }
  }
}
