package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npy;
import org.sbgm.io.SafeTensors;
import org.sbgm.nn.WeightFiles;
import org.sbgm.python.PythonFixtures;
import org.sbgm.torch.Torch;

/**
 * The command line with Python: a TorchScript module trains, samples and evaluates likelihoods; a
 * model's weights go out with {@code sbgm export} and come back in through {@code network.init}.
 */
class PythonCliTest {
  @TempDir static Path dir;
  static Path tsModel;
  static Path mlpModel;
  static final String MLP = String.join("\n", "network:", "  type: mlp", "  width: 32", "  depth: 3",
      "  timeEmbedding: {kind: fourier, dim: 32, scale: 16}", "");

  /** The tiny config with another network section. */
  static String config(long steps, String network) {
    String tiny = Cli.tinyConfig(steps);
    return tiny.substring(0, tiny.indexOf("network:")) + network + tiny.substring(tiny.indexOf("training:"));
  }

  @BeforeAll
  static void train() throws Exception {
    Torch.init();
    PythonFixtures.copy("mlp.pt", dir.resolve("configs"));
    Path ts = Cli.write(dir.resolve("configs/ts.yaml"), config(30, "network: {type: torchscript, path: mlp.pt}\n"));
    tsModel = dir.resolve("ts-model");
    Cli.ok("train", "--config", ts.toString(), "--out", tsModel.toString(), "--quiet", "--threads", "1");
    Path mlp = Cli.write(dir.resolve("configs/mlp.yaml"), config(30, MLP));
    mlpModel = dir.resolve("mlp-model");
    Cli.ok("train", "--config", mlp.toString(), "--out", mlpModel.toString(), "--quiet", "--threads", "1");
  }

  @Test
  void aTorchScriptModelSamplesAndEvaluatesLikelihoods() throws Exception {
    assertTrue(Files.isRegularFile(tsModel.resolve("network.pt")));
    Path samples = dir.resolve("ts-samples.npy");
    Cli.Result s = Cli.ok("sample", "--model", tsModel.toString(), "--n", "64", "--sampler", "ode", "--steps", "10",
        "--out", samples.toString(), "--quiet", "--threads", "1");
    assertEquals(40, s.number("nfe"), "RK4: four evaluations per step");
    Cli.ok("sample", "--model", tsModel.toString(), "--n", "16", "--sampler", "em", "--steps", "20",
        "--out", dir.resolve("ts-em.npy").toString(), "--quiet", "--threads", "1");
    Cli.Result ll = Cli.ok("loglik", "--model", tsModel.toString(), "--data", samples.toString(), "--divergence", "exact",
        "--out", dir.resolve("ts-ll.npy").toString(), "--quiet", "--threads", "1");
    assertTrue(Double.isFinite(ll.number("mean_nats")) && ll.number("nfe") > 0, ll.out());
  }

  @Test
  void exportedWeightsComeBackThroughNetworkInit() throws Exception {
    Path exported = dir.resolve("mlp.safetensors");
    Cli.Result r = Cli.ok("export", "--model", mlpModel.toString(), "--format", "safetensors", "--out", exported.toString(),
        "--quiet");
    assertEquals("safetensors", r.values().get("format"));
    assertEquals(9, r.number("tensors"), "8 linear tensors and the Fourier frequencies");
    assertEquals(34 * 32 + 32 + 2 * (32 * 32 + 32) + 32 * 2 + 2, r.number("parameters"));
    // one step at a negligible learning rate from the exported weights: the same model again
    Path init = Cli.write(dir.resolve("configs/init.yaml"),
        config(1, MLP + "  init: ../mlp.safetensors\n").replace("lr: 2e-3", "lr: 1e-12"));
    Path again = dir.resolve("init-model");
    Cli.ok("train", "--config", init.toString(), "--out", again.toString(), "--quiet", "--threads", "1");
    Path npz = dir.resolve("again.npz");
    Cli.ok("export", "--model", again.toString(), "--format", "npz", "--out", npz.toString(), "--quiet");
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> first = SafeTensors.read(exported).tensors();
      Map<String, Tensor> second = WeightFiles.read(npz);
      assertEquals(first.keySet(), second.keySet());
      for (String k : first.keySet()) {
        assertTrue(first.get(k).sub(second.get(k)).abs().max().item_double() < 1e-9, k);
      }
    }
    Path data = dir.resolve("points.npy");
    Npy.write(data, new double[] {0.5, -1, 2, 0.25, -1.5, 0.75}, 3, 2);
    double a = Cli.ok("loglik", "--model", mlpModel.toString(), "--data", data.toString(), "--out",
        dir.resolve("a.npy").toString(), "--quiet", "--threads", "1").number("mean_nats");
    double b = Cli.ok("loglik", "--model", again.toString(), "--data", data.toString(), "--out",
        dir.resolve("b.npy").toString(), "--quiet", "--threads", "1").number("mean_nats");
    assertEquals(a, b, 1e-5, "the re-imported model gives the same log-likelihoods");
  }

  @Test
  void exportRefusesInOneLine() throws Exception {
    String model = mlpModel.toString();
    Cli.userError(Cli.args("export", "--model", model, "--format", "onnx", "--out", dir.resolve("x.onnx").toString()),
        "--format: the export format must be safetensors, npz or torchscript, got 'onnx'");
    Cli.userError(Cli.args("export", "--model", model, "--format", "npz", "--out", dir.resolve("x.safetensors").toString()),
        "--out must name a .npz file");
    Cli.userError(Cli.args("export", "--model", model, "--names", "keras", "--out", dir.resolve("x.safetensors").toString()),
        "--names: the naming must be pytorch or library, got 'keras'");
    Cli.userError(Cli.args("export", "--model", model, "--format", "torchscript", "--out", dir.resolve("x.pt").toString()),
        "only a torchscript network exports as a TorchScript module, this model's network is mlp");
    Cli.userError(Cli.args("export", "--model", dir.resolve("absent").toString(), "--out", dir.resolve("y.safetensors").toString()),
        "does not exist");
    assertTrue(!Files.exists(dir.resolve("x.pt")) && !Files.exists(dir.resolve("y.safetensors")));
    Path module = dir.resolve("trained.pt");
    Cli.ok("export", "--model", tsModel.toString(), "--format", "torchscript", "--out", module.toString(), "--quiet");
    assertTrue(Files.size(module) > 1000);
  }
}
