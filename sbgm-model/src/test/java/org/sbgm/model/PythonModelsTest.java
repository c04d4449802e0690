package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.config.TorchScriptSpec;
import org.sbgm.io.Manifest;
import org.sbgm.io.SafeTensors;
import org.sbgm.nn.Network;
import org.sbgm.nn.StateDict;
import org.sbgm.nn.TorchScriptNetwork;
import org.sbgm.nn.WeightFiles;
import org.sbgm.python.PythonFixtures;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;

/**
 * Networks from Python through the library: a TorchScript module trains into a movable model directory
 * (its module kept and checksummed) that samples and evaluates likelihoods; weights go out to
 * safetensors, .npz or TorchScript and come back in through {@code network.init}.
 */
class PythonModelsTest {
  @TempDir static Path dir;
  static Path scriptModel;
  static Path mlpModel;

  /** The toy data and training of {@link TinyRuns} with another network section. */
  static String config(long steps, String... network) {
    String tiny = TinyRuns.text(steps);
    String before = tiny.substring(0, tiny.indexOf("network:"));
    String after = tiny.substring(tiny.indexOf("training:"));
    return before + "network:\n" + String.join("\n", network) + "\n" + after;
  }

  static Path write(String name, String text) throws IOException {
    Path p = dir.resolve("configs").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    PythonFixtures.copy("mlp.pt", dir.resolve("configs"));
    Path ts = write("ts.yaml", config(30, "  type: torchscript", "  path: mlp.pt"));
    scriptModel = dir.resolve("ts-model");
    Training.fromFile(ts).run(scriptModel);
    Path mlp = write("mlp.yaml", config(30, "  type: mlp", "  width: 32", "  depth: 3",
        "  timeEmbedding: {kind: fourier, dim: 32, scale: 16}"));
    mlpModel = dir.resolve("mlp-model");
    Training.fromFile(mlp).run(mlpModel);
  }

  @Test
  void aTorchScriptModelDirectoryKeepsItsModuleAndMoves() throws IOException {
    assertTrue(Files.isRegularFile(scriptModel.resolve("network.pt")));
    assertTrue(Manifest.read(scriptModel).containsKey("network.pt"), "the manifest covers the module");
    Model model = Model.load(scriptModel);
    TorchScriptSpec spec = (TorchScriptSpec) model.spec().orElseThrow().network();
    assertEquals("network.pt", spec.path());
    assertEquals(Manifest.sha256(scriptModel.resolve("network.pt")), spec.sha256());
    assertTrue(model.network().orElseThrow() instanceof TorchScriptNetwork);

    Path moved = TinyRuns.copy(scriptModel, dir.resolve("moved").resolve("ts-model"));
    Files.delete(dir.resolve("configs").resolve("mlp.pt")); // the original module is not needed any more
    try {
      Model there = Model.load(moved);
      try (PointerScope scope = new PointerScope()) {
        ModelSamples s1 = model.sample(new SamplerSpec("ode", 20, null, null), 64, 64, Condition.NONE, 4, null);
        ModelSamples s2 = there.sample(new SamplerSpec("ode", 20, null, null), 64, 64, Condition.NONE, 4, null);
        assertTrue(s1.x().equal(s2.x()), "the moved directory gives the same samples");
        DataLikelihood l1 = model.logLikelihood(LikelihoodSpec.defaults(), s1.x(), Condition.NONE, 64, 4, null);
        DataLikelihood l2 = there.logLikelihood(LikelihoodSpec.defaults(), s1.x(), Condition.NONE, 64, 4, null);
        assertArrayEquals(l1.nats(), l2.nats(), 0.0);
        assertTrue(Double.isFinite(l1.mean()) && l1.nfe() > 0, "exact log-likelihoods through the module's autograd");
      }
    } finally {
      PythonFixtures.copy("mlp.pt", dir.resolve("configs"));
    }
    Files.write(moved.resolve("network.pt"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    String msg = assertThrows(InvalidInputException.class, () -> Model.load(moved)).getMessage();
    assertTrue(msg.contains("failed verification") && msg.contains("network.pt"), msg);
  }

  @Test
  void aResumeNeedsTheModuleTheRunStartedWith() throws IOException {
    Path other = write("other.yaml", config(40, "  type: torchscript", "  path: dropout.pt"));
    PythonFixtures.copy("dropout.pt", dir.resolve("configs"));
    Path resumable = TinyRuns.copy(scriptModel, dir.resolve("resumable"));
    String msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(other).resume(resumable)).getMessage();
    assertTrue(msg.contains("differs from " + resumable.resolve("network.pt") + ", the one this run started with"), msg);
    TrainedModel more = Training.fromFile(dir.resolve("configs").resolve("ts.yaml")).steps(40).resume(resumable);
    assertEquals(40, more.result().steps());
  }

  @Test
  void exportedWeightsLoadBackWithIdenticalOutputs() throws IOException {
    for (Path modelDir : List.of(mlpModel, scriptModel)) {
      Model model = Model.load(modelDir);
      for (Export.Format format : List.of(Export.Format.SAFETENSORS, Export.Format.NPZ)) {
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
          Path file = dir.resolve(modelDir.getFileName() + "-export" + format.extension());
          Export.Result r = Export.write(model, format, file);
          assertEquals(StateDict.Naming.PYTORCH, r.naming());
          assertTrue(r.names().contains("net.0.weight") && r.names().contains("emb.w"), r.names().toString());
          Network fresh = ModelDirectory.build(model.spec().orElseThrow(), modelDir);
          fresh.module().eval();
          assertEquals(StateDict.Naming.PYTORCH, WeightFiles.load(fresh, file));
          Tensor x = Torch.randn(new long[] {16, 2}, Torch.generator(1), Torch.options(org.sbgm.torch.DType.FLOAT32));
          Tensor t = Torch.full(new long[] {16}, 0.3, x);
          assertTrue(fresh.forward(x, t, null, null).equal(model.network().orElseThrow().forward(x, t, null, null)),
              modelDir + " " + format);
        }
      }
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Model model = Model.load(scriptModel);
      Path module = dir.resolve("trained.pt");
      Export.write(model, Export.Format.TORCHSCRIPT, module);
      Tensor x = Torch.randn(new long[] {16, 2}, Torch.generator(2), Torch.options(org.sbgm.torch.DType.FLOAT32));
      Tensor t = Torch.full(new long[] {16}, 0.7, x);
      assertTrue(TorchScriptNetwork.load(module).forward(x, t, null, null).equal(model.network().orElseThrow().forward(x, t, null, null)));
      Map<String, String> meta = SafeTensors.read(dir.resolve("ts-model-export.safetensors")).metadata();
      assertEquals("pt", meta.get("format"));
      assertTrue(meta.get("sbgm.network").contains("\"type\":\"torchscript\""), meta.toString());
    }
    String msg = assertThrows(InvalidInputException.class,
        () -> Export.write(Model.load(mlpModel), Export.Format.TORCHSCRIPT, dir.resolve("no.pt"))).getMessage();
    assertTrue(msg.contains("only a torchscript network exports as a TorchScript module"), msg);
  }

  @Test
  void networkInitStartsTrainingFromPythonsWeights() throws IOException {
    PythonFixtures.copy("mlp.safetensors", dir.resolve("configs"));
    String[] mlp = {"  type: mlp", "  width: 32", "  depth: 3", "  timeEmbedding: {kind: fourier, dim: 32, scale: 16}",
        "  init: mlp.safetensors"};
    // one step at a negligible learning rate: the EMA (0.1 x init + 0.9 x one step) is Python's weights
    Path init = write("init.yaml", config(1, mlp).replace("lr: 2e-3", "lr: 1e-12"));
    Path out = dir.resolve("init-model");
    Training.fromFile(init).run(out);
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> python = SafeTensors.read(dir.resolve("configs").resolve("mlp.safetensors")).tensors();
      Map<String, Tensor> trained = StateDict.of(Model.load(out).network().orElseThrow(), StateDict.Naming.PYTORCH);
      assertEquals(python.keySet(), trained.keySet());
      for (String k : python.keySet()) {
        assertTrue(python.get(k).sub(trained.get(k)).abs().max().item_double() < 1e-9, k);
      }
    }

    Path narrow = write("narrow.yaml", config(1, "  type: mlp", "  width: 16", "  depth: 3",
        "  timeEmbedding: {kind: fourier, dim: 32, scale: 16}", "  init: mlp.safetensors"));
    Path refused = dir.resolve("refused-model");
    String msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(narrow).run(refused)).getMessage();
    assertTrue(msg.contains("mlp.safetensors does not fit the Mlp (pytorch names): 'net.0.weight' has shape [32, 34]"
        + " but the network's is [16, 34]"), msg);
    assertFalse(Files.exists(refused), "nothing was written");

    Path missing = write("missing.yaml", config(1, "  type: mlp", "  init: absent.safetensors"));
    msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(missing).run(dir.resolve("m"))).getMessage();
    assertTrue(msg.startsWith("network.init: the weight file ") && msg.endsWith("absent.safetensors does not exist"), msg);
  }

  @Test
  void torchScriptSectionsAreChecked() throws IOException {
    String msg = assertThrows(InvalidInputException.class,
        () -> Training.fromFile(write("nopath.yaml", config(1, "  type: torchscript")))).getMessage();
    assertTrue(msg.contains("network.path is required"), msg);
    msg = assertThrows(InvalidInputException.class,
        () -> Training.fromFile(write("typo.yaml", config(1, "  type: torchscript", "  path: mlp.pt", "  widht: 3")))).getMessage();
    assertTrue(msg.contains("unknown key 'network.widht' (line 10); expected one of init, path, sha256, type"), msg);
    Path absent = write("absent.yaml", config(1, "  type: torchscript", "  path: nothing.pt"));
    msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(absent).run(dir.resolve("a"))).getMessage();
    assertTrue(msg.contains("network.path: the TorchScript module ") && msg.contains("nothing.pt does not exist"), msg);
    Path pinned = write("pinned.yaml", config(1, "  type: torchscript", "  path: mlp.pt", "  sha256: " + "0".repeat(64)));
    msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(pinned).run(dir.resolve("p"))).getMessage();
    assertTrue(msg.contains("but network.sha256 is " + "0".repeat(64) + " (was the module changed?)"), msg);
    PythonFixtures.copy("conditional.pt", dir.resolve("configs"));
    Path conditional = write("cond.yaml", config(1, "  type: torchscript", "  path: conditional.pt"));
    msg = assertThrows(InvalidInputException.class, () -> Training.fromFile(conditional).run(dir.resolve("c"))).getMessage();
    assertTrue(msg.contains("which requires parameters 'parameters', but the model has none"), msg);
    assertFalse(Files.exists(dir.resolve("c")));
  }
}
