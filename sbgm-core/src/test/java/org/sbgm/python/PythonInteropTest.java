package org.sbgm.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.SafeTensors;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.nn.Activation;
import org.sbgm.nn.Mlp;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.Network;
import org.sbgm.nn.PyTorchNames;
import org.sbgm.nn.StateDict;
import org.sbgm.nn.TimeEmbeddingConfig;
import org.sbgm.nn.TorchScriptNetwork;
import org.sbgm.nn.UNet;
import org.sbgm.nn.UNetConfig;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The library's own networks against the same architectures written in PyTorch: with the weights
 * Python wrote (safetensors, PyTorch names), the built-in MLP and U-Net give PyTorch's outputs, the
 * TorchScript modules' outputs, and (the MLP) the same log-likelihoods through the probability-flow ODE,
 * where the built-in network takes forward-mode tangents and the TorchScript module autograd.
 */
class PythonInteropTest {
  @TempDir static Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  /** The fixture MLP's configuration: Fourier(16 frequencies, scale 16), 3 × 32, SiLU, for 2-D data. */
  static final MlpConfig MLP = new MlpConfig(2, 32, 3, Activation.SILU, TimeEmbeddingConfig.fourier(16, 16.0), 0);
  /** reference.py's U-Net at 8 channels, multipliers (1, 1), for 1 × 8 × 8 images. */
  static final UNetConfig UNET = new UNetConfig(1, 8, List.of(1, 1), 1, List.of(), true, 1, 0.0, 8,
      TimeEmbeddingConfig.sinusoidal(8), 0, 0, 0.0);

  static <N extends Network> N withPythonWeights(N network, String file) throws IOException {
    StateDict.Naming naming = StateDict.load(network, SafeTensors.read(PythonFixtures.copy(file, dir)).tensors(), file);
    assertEquals(StateDict.Naming.PYTORCH, naming);
    return network;
  }

  static double maxAbs(Tensor a, Tensor b) {
    return a.sub(b).abs().max().item_double();
  }

  @Test
  void theBuiltInMlpWithPythonsWeightsIsPythonsMlp() throws IOException {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> io = PythonFixtures.arrays("mlp-io.npz", dir);
      Mlp mlp = withPythonWeights(MLP.create(7), "mlp.safetensors");
      mlp.eval();
      TorchScriptNetwork script = TorchScriptNetwork.load(PythonFixtures.copy("mlp.pt", dir));
      Tensor x = io.get("x");
      Tensor t = io.get("t");
      double vsPytorch = maxAbs(mlp.forward(x, t, null, null), io.get("out"));
      double vsScript = maxAbs(mlp.forward(x, t, null, null), script.forward(x, t, null, null));
      Tensor shared = Torch.sharedTime(64, 0.37, x); // the built-in MLP's shared-time path regroups the first layer
      double sharedTime = maxAbs(mlp.forward(x, shared, null, null), script.forward(x, Torch.full(new long[] {64}, 0.37, x), null, null));
      System.out.printf("built-in Mlp vs PyTorch %.2e, vs TorchScript %.2e, shared time %.2e%n", vsPytorch, vsScript, sharedTime);
      assertTrue(vsPytorch < 2e-6 && vsScript < 2e-6 && sharedTime < 2e-6, vsPytorch + " " + vsScript + " " + sharedTime);
    }
  }

  @Test
  void theSameLogLikelihoodsThroughForwardModeAndThroughTheScriptsAutograd() throws IOException {
    for (DType dtype : DType.values()) {
      try (PointerScope scope = new PointerScope()) {
        Mlp mlp = withPythonWeights(MLP.create(7), "mlp.safetensors");
        mlp.eval();
        TorchScriptNetwork script = TorchScriptNetwork.load(PythonFixtures.copy("mlp.pt", dir));
        mlp.to(dtype.scalarType(), false);
        script.module().to(dtype.scalarType(), false); // changes the script's own tensors in place
        ScoreModel builtIn = new ScoreModel(mlp, new VpSde());
        ScoreModel fromPython = new ScoreModel(script, new VpSde());
        assertTrue(builtIn.supportsTangents() && !fromPython.supportsTangents());
        Tensor x = PythonFixtures.arrays("mlp-io.npz", dir).get("x").narrow(0, 0, 32).to(dtype.scalarType());
        // float32: both round to float32 (ulp 1e-6 at |log p| = 12); float64: forward mode and autograd agree to rounding
        double tolerance = dtype == DType.FLOAT32 ? 5e-5 : 1e-9;
        for (LogLikelihood ll : List.of(
            LogLikelihood.builder().divergence(Divergence.exact()).solver(ExplicitRungeKutta.rk4())
                .controller(ConstantStep.steps(50)).build(),
            LogLikelihood.builder().divergence(Divergence.exact()).tolerances(1e-5, 1e-5).build(),
            LogLikelihood.builder().divergence(Divergence.hutchinson(2)).solver(ExplicitRungeKutta.rk4())
                .controller(ConstantStep.steps(50)).build())) {
          double[] a = ll.evaluate(builtIn, x, Condition.NONE, Torch.generator(3)).nats();
          double[] b = ll.evaluate(fromPython, x, Condition.NONE, Torch.generator(3)).nats();
          double worst = 0;
          for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
          }
          System.out.printf("%s log-likelihood built-in vs TorchScript: max |difference| %.2e nats (mean %.4f)%n", dtype,
              worst, Arrays.stream(a).average().orElseThrow());
          assertTrue(worst < tolerance, dtype + ": log-likelihoods differ by " + worst + " nats");
        }
      }
    }
  }

  @Test
  void theConditionalMlpTakesParametersAsPythonDoes() throws IOException {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> io = PythonFixtures.arrays("conditional-io.npz", dir);
      Mlp mlp = withPythonWeights(MLP.withConditionDim(2).create(7), "conditional.safetensors");
      TorchScriptNetwork script = TorchScriptNetwork.load(PythonFixtures.copy("conditional.pt", dir));
      Tensor out = mlp.forward(io.get("x"), io.get("t"), io.get("parameters"), null);
      double vsPytorch = maxAbs(out, io.get("out"));
      double vsScript = maxAbs(out, script.forward(io.get("x"), io.get("t"), io.get("parameters"), null));
      assertTrue(vsPytorch < 2e-6 && vsScript < 2e-6, vsPytorch + " " + vsScript);
    }
  }

  @Test
  void theBuiltInUNetWithPythonsWeightsIsTheReferenceUNet() throws IOException {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> io = PythonFixtures.arrays("unet-io.npz", dir);
      UNet unet = withPythonWeights(UNET.create(7), "unet.safetensors");
      unet.eval();
      TorchScriptNetwork script = TorchScriptNetwork.load(PythonFixtures.copy("unet.pt", dir));
      Tensor out = unet.forward(io.get("x"), io.get("t"), null, null);
      double vsPytorch = maxAbs(out, io.get("out"));
      double vsScript = maxAbs(out, script.forward(io.get("x"), io.get("t"), null, null));
      System.out.printf("built-in UNet vs PyTorch %.2e, vs TorchScript %.2e (outputs of size %.2f)%n", vsPytorch, vsScript,
          io.get("out").abs().max().item_double());
      assertTrue(vsPytorch < 1e-5 && vsScript < 1e-5, vsPytorch + " " + vsScript);
    }
  }

  @Test
  void imageLikelihoodsThroughTheScriptMatchTheBuiltInUNet() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      UNet unet = withPythonWeights(UNET.create(7), "unet.safetensors");
      TorchScriptNetwork script = TorchScriptNetwork.load(PythonFixtures.copy("unet.pt", dir));
      unet.eval();
      Tensor x = PythonFixtures.arrays("unet-io.npz", dir).get("x").narrow(0, 0, 2);
      LogLikelihood ll = LogLikelihood.builder().divergence(Divergence.exact()).solver(ExplicitRungeKutta.rk4())
          .controller(ConstantStep.steps(4)).build();
      double[] a = ll.evaluate(new ScoreModel(unet, new VpSde()), x, Condition.NONE, null).nats();
      double[] b = ll.evaluate(new ScoreModel(script, new VpSde()), x, Condition.NONE, null).nats();
      for (int i = 0; i < a.length; i++) {
        System.out.printf("image %d: log p %.5f (built-in U-Net) %.5f (TorchScript), D = 64 exact divergence%n", i, a[i], b[i]);
        assertEquals(a[i], b[i], 1e-4 * Math.abs(a[i]), "image " + i);
      }
    }
  }

  @Test
  void theBenchmarkNetworksHaveReferencePysNamesAndShapes() throws IOException {
    List<String> lines = Files.readAllLines(PythonFixtures.copy("reference-names.txt", dir));
    try (PointerScope scope = new PointerScope()) {
      for (Map.Entry<String, Network> e : Map.<String, Network>of("mlp", MlpConfig.reference().create(0),
          "unet", UNetConfig.reference().create(0)).entrySet()) {
        Map<String, String> expected = new LinkedHashMap<>();
        lines.stream().map(l -> l.split(" ")).filter(p -> p[0].equals(e.getKey()))
            .forEach(p -> expected.put(p[1], p.length > 2 ? p[2] : ""));
        Map<String, String> ours = StateDict.of(e.getValue(), StateDict.Naming.PYTORCH).entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey,
                v -> Arrays.stream(Torch.shape(v.getValue())).mapToObj(Long::toString).collect(Collectors.joining(","))));
        assertEquals(expected, ours, e.getKey());
        assertTrue(PyTorchNames.renames(e.getValue()));
      }
      UNetConfig twoBlocks = new UNetConfig(1, 8, List.of(1, 2), 2, List.of(), true, 1, 0.0, 8,
          TimeEmbeddingConfig.sinusoidal(8), 0, 0, 0.0);
      assertFalse(PyTorchNames.renames(twoBlocks.create(0)), "no PyTorch counterpart: the library's names");
    }
  }
}
