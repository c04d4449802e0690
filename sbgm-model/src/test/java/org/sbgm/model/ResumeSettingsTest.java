package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.torch.Torch;

/**
 * A resumed run must be the run its checkpoint belongs to: the SDE, the parameterisation, the network and the
 * data are recorded in every checkpoint and a resume with any of them changed is refused, naming the key and
 * both values; only the training target (and where files are) may change.
 */
class ResumeSettingsTest {
  @TempDir static Path dir;
  static Path trained;

  @BeforeAll
  static void train() throws Exception {
    Torch.setThreads(1);
    trained = dir.resolve("run");
    Training.fromFile(TinyRuns.config(dir.resolve("tiny.yaml"), 10)).run(trained);
  }

  static Path config(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name + ".yaml"), text);
  }

  static String refused(String name, String text) throws Exception {
    Path copy = TinyRuns.copy(trained, dir.resolve(name));
    Training t = Training.fromFile(config(name, text)).steps(12);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.resume(copy));
    return e.getMessage();
  }

  @Test
  void theRecordedSettingsAreTheModelSectionsInDottedKeys() throws Exception {
    Map<String, String> s = Training.recordedSettings(ConfigFiles.readRunConfig(TinyRuns.config(dir.resolve("k.yaml"), 10)));
    assertEquals("64", s.get("network.width"));
    assertEquals("eight-gaussians", s.get("data.name"));
    assertTrue(s.keySet().stream().noneMatch(k -> k.startsWith("training.")), s.toString());
  }

  @Test
  void aChangedModelSectionIsRefusedNamingTheKey() throws Exception {
    String base = TinyRuns.text(10);
    String m = refused("sde", base + "sde: {type: vp, betaMax: 12}\n");
    assertTrue(m.contains("sde.betaMax = 20") && m.contains("but this run has 12"), m);
    m = refused("param", base + "parameterisation: score\n");
    assertTrue(m.contains("parameterisation = epsilon, but this run has score"), m);
    m = refused("data", base.replace("name: eight-gaussians", "name: moons"));
    assertTrue(m.contains("data.name = eight-gaussians, but this run has moons"), m);
    m = refused("act", base.replace("  depth: 2\n", "  depth: 2\n  activation: tanh\n"));
    assertTrue(m.contains("network.activation = silu, but this run has tanh"), m);
    assertTrue(m.endsWith("resume with the same configuration (only training.steps may change)."), m);
  }

  @Test
  void theSameSettingsResumeToMoreSteps() throws Exception {
    Path copy = TinyRuns.copy(trained, dir.resolve("more"));
    TrainedModel more = Training.fromFile(config("more", TinyRuns.text(10))).steps(14).resume(copy);
    assertEquals(14, more.result().steps());
  }

  @Test
  void anUnfinishedRunIsNamedAsSuchWhenLoaded() throws Exception {
    Path copy = TinyRuns.copy(trained, dir.resolve("unfinished"));
    Files.delete(copy.resolve("model.yaml"));
    String m = assertThrows(InvalidInputException.class, () -> Model.load(copy)).getMessage();
    assertEquals("model directory '" + copy + "' has no model.yaml or model.json, but a checkpoint: its training has "
        + "not finished (continue it with sbgm train --resume)", m);
  }
}
