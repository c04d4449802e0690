package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.Torch;

/**
 * The batch-shared-time path of the networks (t a stride-0 view, as solvers pass it) computes the same
 * function, with the same input gradient, as a per-sample t holding the same value; in-place
 * activations happen only where no gradient flows.
 */
class SharedTimeTest {
  private static final MlpConfig CONDITIONED = new MlpConfig(3, 32, 3, Activation.SILU, TimeEmbeddingConfig.fourier(8, 4.0), 2);

  private static void assertSameFunction(Network net, long dim, Tensor parameters, Generator g) {
    Tensor x = NetworkChecks.randn(g, 16, dim).requires_grad_(true);
    Tensor shared = Torch.sharedTime(16, 0.37, x);
    Tensor perSample = Torch.full(new long[] {16}, 0.37, x);
    assertTrue(Torch.isSharedTime(shared));
    assertFalse(Torch.isSharedTime(perSample));
    Tensor a = net.forward(x, shared, parameters, null);
    Tensor b = net.forward(x, perSample, parameters, null);
    double scale = b.abs().max().item_double();
    assertTrue(NetworkChecks.maxAbsDiff(a, b) <= 1e-5 * scale, "outputs differ by " + NetworkChecks.maxAbsDiff(a, b));
    Tensor v = NetworkChecks.randn(g, 16, dim);
    Tensor ga = torch.grad(new TensorVector(a.mul(v).sum()), new TensorVector(x), new TensorVector(), new BoolOptional(false), false, false).get(0);
    Tensor gb = torch.grad(new TensorVector(b.mul(v).sum()), new TensorVector(x), new TensorVector(), new BoolOptional(false), false, false).get(0);
    assertTrue(NetworkChecks.maxAbsDiff(ga, gb) <= 1e-5 * gb.abs().max().item_double(), "input gradients differ");
    // A time that differs per sample must not take the shared path: the first row's time would be used.
    Tensor varying = NetworkChecks.times(g, 16);
    Tensor c = net.forward(x, varying, parameters, null);
    Tensor d = net.forward(x, varying.contiguous().clone(), parameters, null);
    assertEquals(0.0, NetworkChecks.maxAbsDiff(c, d));
  }

  @Test
  void mlpSharedTimeIsTheSameFunction() {
    try (PointerScope scope = new PointerScope()) {
      Generator g = Torch.generator(7);
      assertSameFunction(MlpConfig.reference().create(1), 2, null, g);
      assertSameFunction(CONDITIONED.create(2), 3, NetworkChecks.randn(g, 16, 2), g);
    }
  }

  @Test
  void noGradForwardEqualsGradForward() {
    // In-place activations without autograd must give what the recorded forward gives.
    try (PointerScope scope = new PointerScope()) {
      Generator g = Torch.generator(8);
      Mlp net = MlpConfig.reference().create(3);
      Tensor x = NetworkChecks.randn(g, 64, 2);
      Tensor t = NetworkChecks.times(g, 64);
      Tensor withGrad = net.forward(x, t, null, null);
      assertTrue(withGrad.requires_grad());
      Tensor without;
      try (NoGradGuard ng = new NoGradGuard()) {
        without = net.forward(x, t, null, null);
      }
      assertFalse(without.requires_grad());
      assertEquals(0.0, NetworkChecks.maxAbsDiff(withGrad.detach(), without));
    }
  }

  @Test
  void blockedNoGradForwardOfALargeBatchEqualsTheWholeBatch() {
    // 2500 rows run without autograd in blocks of 1024 rows (the last one short); with autograd in one piece.
    try (PointerScope scope = new PointerScope()) {
      Generator g = Torch.generator(9);
      Mlp net = MlpConfig.reference().create(4);
      Tensor x = NetworkChecks.randn(g, 2500, 2);
      for (Tensor t : new Tensor[] {NetworkChecks.times(g, 2500), Torch.sharedTime(2500, 0.61, x)}) {
        Tensor whole = net.forward(x, t, null, null).detach();
        Tensor blocked;
        try (NoGradGuard ng = new NoGradGuard()) {
          blocked = net.forward(x, t, null, null);
        }
        assertEquals(2500, blocked.size(0));
        double diff = NetworkChecks.maxAbsDiff(whole, blocked);
        assertTrue(diff <= 1e-6 * whole.abs().max().item_double(), "blocked forward differs by " + diff);
        // Row order is kept: the last block's rows match.
        assertTrue(NetworkChecks.maxAbsDiff(whole.narrow(0, 2048, 452), blocked.narrow(0, 2048, 452)) <= 1e-6);
      }
    }
  }

  @Test
  void activationsOverwriteOnlyTensorsWithoutGradient() {
    try (PointerScope scope = new PointerScope()) {
      for (Activation act : Activation.values()) {
        Tensor plain = Torch.tensor(new double[] {-1.5, 0.2, 3.0}, 3);
        Tensor expected = act.apply(plain);
        Tensor result = act.applyToTemporary(plain);
        assertEquals(0.0, NetworkChecks.maxAbsDiff(expected, result), act.name());
        assertEquals(0.0, NetworkChecks.maxAbsDiff(expected, plain), act.name() + " did not work in place");
        Tensor tracked = Torch.tensor(new double[] {-1.5, 0.2, 3.0}, 3).requires_grad_(true).mul(Torch.scalar(1.0));
        Tensor before = tracked.detach().clone();
        act.applyToTemporary(tracked);
        assertEquals(0.0, NetworkChecks.maxAbsDiff(before, tracked.detach()), act.name() + " overwrote a tracked tensor");
      }
    }
  }
}
