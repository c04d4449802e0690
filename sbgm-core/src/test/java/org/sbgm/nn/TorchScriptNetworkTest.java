package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.python.PythonFixtures;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** TorchScript modules written by Python as networks: signatures, checks, shared tensors, training mode, files. */
class TorchScriptNetworkTest {
  @TempDir static Path dir;

  @BeforeAll
  static void oneThread() {
    Torch.init();
    Torch.setThreads(1);
  }

  static TorchScriptNetwork load(String name) {
    return TorchScriptNetwork.load(PythonFixtures.copy(name, dir));
  }

  @Test
  void scriptedAndTracedModulesGivePytorchsOutputs() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> io = PythonFixtures.arrays("mlp-io.npz", dir);
      for (String name : List.of("mlp.pt", "mlp-traced.pt")) {
        TorchScriptNetwork net = load(name);
        double diff = NetworkChecks.maxAbsDiff(net.forward(io.get("x"), io.get("t"), null, null), io.get("out"));
        System.out.printf("%s: max |Java - PyTorch 1.13| = %.2e%n", name, diff);
        assertTrue(diff < 2e-6, name + " differs from PyTorch's output by " + diff);
      }
    }
  }

  @Test
  void mirrorsTheModulesTensorsUnderTheirPythonNames() {
    try (PointerScope scope = new PointerScope()) {
      TorchScriptNetwork net = load("mlp.pt");
      assertEquals(List.of("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias",
          "net.6.weight", "net.6.bias"), List.copyOf(StateDict.of(net, StateDict.Naming.LIBRARY).keySet()).subList(0, 8));
      assertEquals(Map.of("emb.w", 16L), Map.of(net.module().named_buffers(true).get(0).key().getString(),
          net.module().named_buffers(true).get(0).value().numel()));
      assertEquals(34 * 32 + 32 + 2 * (32 * 32 + 32) + 32 * 2 + 2, Networks.parameterCount(net));
      assertEquals(StateDict.of(net, StateDict.Naming.LIBRARY).keySet(), StateDict.of(net, StateDict.Naming.PYTORCH).keySet());
      assertFalse(net.is_training(), "saved in eval mode, loaded in eval mode");
      assertEquals("forward(x: Tensor, t: Tensor)", net.signature().toString());
    }
  }

  @Test
  void theOptimiserTrainsTheTensorsTheScriptReads() {
    try (PointerScope scope = new PointerScope()) {
      TorchScriptNetwork net = load("mlp.pt");
      net.module().train(true);
      Tensor x = NetworkChecks.randn(Torch.generator(1), 16, 2);
      Tensor t = Torch.full(new long[] {16}, 0.3, x);
      Tensor before;
      try (NoGradGuard ng = new NoGradGuard()) {
        before = net.forward(x, t, null, null).clone();
      }
      AdamW opt = new AdamW(net.module().parameters(true), new AdamWOptions(1e-2));
      Tensor loss = net.forward(x, t, null, null).pow(Torch.scalar(2)).mean();
      loss.backward();
      opt.step();
      try (NoGradGuard ng = new NoGradGuard()) {
        Tensor after = net.forward(x, t, null, null);
        assertTrue(NetworkChecks.maxAbsDiff(before, after) > 1e-3, "one AdamW step changes the script's output");
        assertTrue(after.pow(Torch.scalar(2)).mean().item_double() < loss.item_double(), "and lowers the loss");
      }
    }
  }

  @Test
  void trainingModeReachesTheScript() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TorchScriptNetwork net = load("dropout.pt");
      Tensor x = NetworkChecks.randn(Torch.generator(2), 64, 2);
      Tensor t = Torch.full(new long[] {64}, 0.5, x);
      net.module().eval();
      assertTrue(net.forward(x, t, null, null).equal(net.forward(x, t, null, null)), "eval: no dropout");
      net.module().train(true);
      assertFalse(net.forward(x, t, null, null).equal(net.forward(x, t, null, null)), "train: dropout masks");
      net.module().eval();
      assertTrue(net.forward(x, t, null, null).equal(net.forward(x, t, null, null)));
    }
  }

  @Test
  void weightFilesAndSavedModulesRoundTripExactly() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TorchScriptNetwork trained = load("mlp.pt");
      for (Map.Entry<String, Tensor> e : StateDict.of(trained, StateDict.Naming.LIBRARY).entrySet()) {
        e.getValue().mul_(Torch.scalar(1.5)); // weights the file does not hold
      }
      Tensor x = NetworkChecks.randn(Torch.generator(3), 8, 2);
      Tensor t = NetworkChecks.times(Torch.generator(4), 8);
      Tensor expected = trained.forward(x, t, null, null);

      Path weights = dir.resolve("ts-weights.pt");
      Networks.save(trained, weights); // "net.0.weight": an index in a module path is saved and read back
      TorchScriptNetwork fresh = load("mlp.pt");
      assertFalse(fresh.forward(x, t, null, null).equal(expected));
      Networks.load(fresh, weights);
      assertTrue(fresh.forward(x, t, null, null).equal(expected), "weights.pt restores the outputs bit for bit");

      Path module = dir.resolve("trained-module.pt");
      trained.saveModule(module);
      assertTrue(TorchScriptNetwork.load(module).forward(x, t, null, null).equal(expected), "the saved module carries the weights");
    }
  }

  @Test
  void optionalConditionsReceiveNone() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TorchScriptNetwork net = load("optional.pt");
      assertEquals("forward(x: Tensor, t: Tensor, parameters: Optional[Tensor])", net.signature().toString());
      net.check(new long[] {2}, 0, 0);
      net.check(new long[] {2}, 3, 0);
      Tensor x = NetworkChecks.randn(Torch.generator(5), 4, 2);
      Tensor t = Torch.full(new long[] {4}, 0.5, x);
      Tensor p = NetworkChecks.randn(Torch.generator(6), 4, 3);
      Tensor shift = net.forward(x, t, p, null).sub(net.forward(x, t, null, null));
      assertTrue(NetworkChecks.maxAbsDiff(shift, p.sum(new long[] {1}, true, null).expand(4, 2)) < 1e-6);
    }
  }

  @Test
  void checksInFloat64AndConvertsBack() {
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      TorchScriptNetwork net = load("mlp.pt");
      Tensor x = NetworkChecks.randn(Torch.generator(7), 4, 2);
      Tensor t = Torch.full(new long[] {4}, 0.5, x);
      Tensor out64 = net.forward(x.to(torch.ScalarType.Double), t.to(torch.ScalarType.Double), null, null);
      assertEquals(torch.ScalarType.Double, out64.scalar_type().intern(), "the output has the dtype of x");
      assertTrue(out64.to(torch.ScalarType.Float).equal(net.forward(x, t, null, null)), "computed in the module's float32");
    }
  }

  private static String refusal(Runnable r) {
    String msg = assertThrows(InvalidInputException.class, r::run).getMessage();
    assertFalse(msg.contains("\n") || msg.contains("frame #"), "one line, no native stack: " + msg);
    return msg;
  }

  @Test
  void signaturesAndDryRunsAreCheckedInOneSentence() {
    String arity = refusal(() -> load("bad-arity.pt"));
    assertTrue(arity.contains("declares forward(x: Tensor); expected forward(x, t)"), arity);
    String type = refusal(() -> load("bad-type.pt"));
    assertTrue(type.contains("whose argument 't' is float; expected a Tensor for t"), type);
    String tuple = refusal(() -> load("bad-tuple.pt"));
    assertTrue(tuple.contains("returns Tuple[Tensor, Tensor] from forward; expected one Tensor shaped like x"), tuple);
    String shape = refusal(() -> load("bad-shape.pt").check(new long[] {2}, 0, 0));
    assertTrue(shape.contains("maps x of shape [2, 2] to shape [2, 1]; expected an output shaped like x"), shape);
    String width = refusal(() -> load("mlp.pt").check(new long[] {3}, 0, 0));
    assertTrue(width.contains("failed on x of shape [2, 3]: RuntimeError: mat1 and mat2 shapes cannot be multiplied"), width);
    String conditioned = refusal(() -> load("mlp.pt").check(new long[] {2}, 2, 0));
    assertTrue(conditioned.contains("which takes no parameters, but the model is conditioned on 2 parameters"), conditioned);
    String unconditioned = refusal(() -> load("conditional.pt").check(new long[] {2}, 0, 0));
    assertTrue(unconditioned.contains("which requires parameters 'parameters', but the model has none"), unconditioned);
    String image = refusal(() -> load("mlp.pt").check(new long[] {2}, 0, 1));
    assertTrue(image.contains("takes no image"), image);
    String notScript = refusal(() -> load("mlp.safetensors"));
    assertTrue(notScript.contains("could not read ") && notScript.contains("as a TorchScript module"), notScript);
    assertTrue(refusal(() -> TorchScriptNetwork.load(dir.resolve("absent.pt"))).contains("does not exist"));
  }

  @Test
  void aConfigLoadsAndChecks() {
    try (PointerScope scope = new PointerScope()) {
      Path file = PythonFixtures.copy("conditional.pt", dir);
      TorchScriptNetwork net = new TorchScriptConfig(file, List.of(2L), 2, 0).create(123);
      assertTrue(net.signature().takes(TorchScriptSignature.Input.PARAMETERS));
      assertThrows(InvalidInputException.class, () -> new TorchScriptConfig(file, List.of(), 0, 0));
      assertTrue(Files.isRegularFile(file));
      assertArrayEquals(new long[] {3, 2}, Torch.shape(net.forward(NetworkChecks.randn(Torch.generator(8), 3, 2),
          Torch.full(new long[] {3}, 0.5, Torch.options(DType.FLOAT32)), NetworkChecks.randn(Torch.generator(9), 3, 2), null)));
    }
  }
}
