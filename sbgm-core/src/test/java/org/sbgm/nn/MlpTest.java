package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

class MlpTest {
  static {
    Torch.init();
  }

  private static final MlpConfig SMALL = new MlpConfig(3, 32, 2, Activation.SILU, TimeEmbeddingConfig.fourier(4, 4.0), 0);
  private static final MlpConfig CONDITIONED = SMALL.withConditionDim(2);

  @TempDir Path dir;

  @Test
  void referenceHasThePythonParameterCount() {
    try (PointerScope s = new PointerScope()) {
      // Linear(34,256) + 2 Linear(256,256) + Linear(256,2) = 8960 + 2·65792 + 514; the Fourier W is a buffer
      assertEquals(141_058, Networks.parameterCount(MlpConfig.reference().create(0)));
      Generator g = Torch.generator(1);
      NetworkChecks.assertShapeLikeX(MlpConfig.reference().create(0),
          new NetworkChecks.Inputs(NetworkChecks.randn(g, 5, 2), NetworkChecks.times(g, 5), null, null));
    }
  }

  @Test
  void initialisationHasPytorchDefaultDistribution() {
    try (PointerScope s = new PointerScope()) {
      Mlp net = MlpConfig.reference().create(7);
      // Linear(256, 256): U(-1/16, 1/16), so max |w| < 1/16 and std = (1/16)/√3 within 1 % for 65,536 draws
      double[] w = Torch.toDoubles(net.named_parameters().get("hidden1.weight"));
      double max = 0;
      double sum2 = 0;
      for (double v : w) {
        max = Math.max(max, Math.abs(v));
        sum2 += v * v;
      }
      assertTrue(max <= 1.0 / 16 && max > 0.99 / 16, "max |w| = " + max);
      assertEquals(1.0 / 16 / Math.sqrt(3), Math.sqrt(sum2 / w.length), 0.01 / 16 / Math.sqrt(3));
      double[] b = Torch.toDoubles(net.named_parameters().get("hidden0.bias"));
      for (double v : b) {
        assertTrue(Math.abs(v) <= 1 / Math.sqrt(34), "bias outside U(±1/√34): " + v);
      }
    }
  }

  @Test
  void largeBatchesWithAutogradGiveTheOutputsAndGradientsOfSmallOnes() {
    try (PointerScope s = new PointerScope()) {
      // 3 blocks' worth of rows of a width-256 network run in row blocks with autograd; one block's worth does not
      long part = Mlp.blockRows(256, 0);
      long rows = 3 * part;
      Mlp net = MlpConfig.reference().create(4);
      Generator g = Torch.generator(9);
      org.bytedeco.pytorch.Tensor x = Torch.randn(new long[] {rows, 2}, g, Torch.options(org.sbgm.torch.DType.FLOAT32));
      org.bytedeco.pytorch.Tensor t = Torch.rand(new long[] {rows}, g, Torch.options(org.sbgm.torch.DType.FLOAT32));
      org.bytedeco.pytorch.TensorVector params = net.parameters(true);
      org.bytedeco.pytorch.Tensor whole = net.forward(x, t, null, null);
      whole.square().sum().backward();
      double[][] blocked = grads(params);
      double[] outWhole = Torch.toDoubles(whole.detach());
      net.zero_grad(true);
      double[] outParts = new double[outWhole.length];
      for (int k = 0; k < 3; k++) {
        org.bytedeco.pytorch.Tensor out = net.forward(x.narrow(0, part * k, part), t.narrow(0, part * k, part), null, null);
        out.square().sum().backward();
        System.arraycopy(Torch.toDoubles(out.detach()), 0, outParts, (int) (2 * part * k), (int) (2 * part));
      }
      double[][] parts = grads(params);
      for (int i = 0; i < outWhole.length; i++) {
        assertEquals(outParts[i], outWhole[i], 1e-6 * (1 + Math.abs(outParts[i])), "output " + i);
      }
      for (int p = 0; p < parts.length; p++) {
        double scale = 0;
        for (double v : parts[p]) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < parts[p].length; i++) {
          assertEquals(parts[p][i], blocked[p][i], 1e-5 * scale, "parameter " + p + " gradient " + i);
        }
      }
    }
  }

  private static double[][] grads(org.bytedeco.pytorch.TensorVector params) {
    double[][] out = new double[(int) params.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Torch.toDoubles(params.get(i).grad());
    }
    return out;
  }

  @Test
  void passesTheNetworkChecks() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(2);
      NetworkChecks.Inputs in = new NetworkChecks.Inputs(NetworkChecks.randn(g, 8, 3), NetworkChecks.times(g, 8),
          NetworkChecks.randn(g, 8, 2), null);
      NetworkChecks.assertShapeLikeX(CONDITIONED.create(0), in);
      NetworkChecks.assertDeterministicInit(CONDITIONED::create);
      NetworkChecks.assertSaveLoadRoundTrip(CONDITIONED::create, in, dir);
      NetworkChecks.assertDependsOnInputs(CONDITIONED.create(3), in, g);
      NetworkChecks.assertTrainingStepLowersLoss(CONDITIONED.create(4), in, g, 1e-3);
    }
  }

  @Test
  void conditionMisuseIsAClearError() {
    try (PointerScope s = new PointerScope()) {
      Generator g = Torch.generator(3);
      var x = NetworkChecks.randn(g, 4, 3);
      var t = NetworkChecks.times(g, 4);
      var pi = NetworkChecks.randn(g, 4, 2);
      Mlp conditioned = CONDITIONED.create(0);
      Mlp plain = SMALL.create(0);
      String missing = assertThrows(InvalidInputException.class, () -> conditioned.forward(x, t, null, null)).getMessage();
      assertEquals("Mlp is conditioned on a parameter vector of size 2 (conditionDim = 2), but none was given", missing);
      String extra = assertThrows(InvalidInputException.class, () -> plain.forward(x, t, pi, null)).getMessage();
      assertEquals("Mlp was built without a parameter condition (conditionDim = 0), but a parameter tensor of shape [4, 2] was given", extra);
      String wrongT = assertThrows(InvalidInputException.class, () -> plain.forward(x, t.narrow(0, 0, 3), null, null)).getMessage();
      assertTrue(wrongT.contains("t of shape [4]"), wrongT);
      assertThrows(InvalidInputException.class, () -> plain.forward(x, t, null, NetworkChecks.randn(g, 4, 1, 2, 2)));
    }
  }
}
