package org.sbgm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.LongFunction;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Checks every network must pass; each builds its inputs from a fixed seed. */
final class NetworkChecks {
  private NetworkChecks() {}

  /** Inputs for one forward pass. */
  record Inputs(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    Tensor run(Network n) {
      return n.forward(x, t, parameters, image);
    }

    Inputs withT(Tensor t2) {
      return new Inputs(x, t2, parameters, image);
    }

    Inputs withParameters(Tensor p) {
      return new Inputs(x, t, p, image);
    }

    Inputs withImage(Tensor y) {
      return new Inputs(x, t, parameters, y);
    }
  }

  static Tensor randn(Generator g, long... shape) {
    return Torch.randn(shape, g, Torch.options(DType.FLOAT32));
  }

  /** Times in (0.05, 0.95), [B]. */
  static Tensor times(Generator g, long batch) {
    // torch.rand directly: Torch.rand passes a null DimnameListOptional and fails (reported)
    return torch.rand(new long[] {batch}, new GeneratorOptional(g), Torch.options(DType.FLOAT32)).mul(Torch.scalar(0.9)).add(Torch.scalar(0.05));
  }

  static double maxAbsDiff(Tensor a, Tensor b) {
    return a.sub(b).abs().max().item_double();
  }

  /** Output shape equals x's shape and is finite. */
  static void assertShapeLikeX(Network n, Inputs in) {
    try (PointerScope s = new PointerScope()) {
      Tensor out = in.run(n);
      assertArrayEquals(Torch.shape(in.x()), Torch.shape(out));
      assertTrue(Torch.allFinite(out));
    }
  }

  /** Same seed: identical parameters and buffers; different seed: some parameter differs. */
  static void assertDeterministicInit(LongFunction<Network> factory) {
    try (PointerScope s = new PointerScope()) {
      Network a = factory.apply(11);
      Network b = factory.apply(11);
      Network c = factory.apply(12);
      StringTensorDict pa = a.module().named_parameters(true);
      StringTensorDict pb = b.module().named_parameters(true);
      StringTensorDict pc = c.module().named_parameters(true);
      assertEquals(pa.size(), pb.size());
      boolean anyDifferent = false;
      for (long i = 0; i < pa.size(); i++) {
        assertTrue(pa.get(i).value().equal(pb.get(i).value()), "parameter " + pa.get(i).key().getString() + " differs for the same seed");
        anyDifferent |= !pa.get(i).value().equal(pc.get(i).value());
      }
      StringTensorDict ba = a.module().named_buffers(true);
      StringTensorDict bb = b.module().named_buffers(true);
      for (long i = 0; i < ba.size(); i++) {
        assertTrue(ba.get(i).value().equal(bb.get(i).value()), "buffer " + ba.get(i).key().getString() + " differs for the same seed");
      }
      assertTrue(anyDifferent, "a different seed gave identical parameters");
    }
  }

  /** Network built from another seed, loaded from a saved file: bit-identical outputs. */
  static void assertSaveLoadRoundTrip(LongFunction<Network> factory, Inputs in, Path dir) {
    try (PointerScope s = new PointerScope()) {
      Network a = factory.apply(1);
      Network b = factory.apply(2);
      Tensor outA = in.run(a);
      assertFalse(outA.equal(in.run(b)), "two seeds gave the same output: the round trip would prove nothing");
      Path file = dir.resolve("weights.pt");
      Networks.save(a, file);
      Networks.load(b, file);
      assertTrue(outA.equal(in.run(b)), "outputs differ after save/load");
    }
  }

  /** Changing t, π or y (when given) changes the output. */
  static void assertDependsOnInputs(Network n, Inputs in, Generator g) {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor out = in.run(n);
      Tensor t2 = in.t().mul(Torch.scalar(0.5));
      assertTrue(maxAbsDiff(out, in.withT(t2).run(n)) > 1e-5, "output does not depend on t");
      if (in.parameters() != null) {
        Tensor p2 = randn(g, Torch.shape(in.parameters()));
        assertTrue(maxAbsDiff(out, in.withParameters(p2).run(n)) > 1e-5, "output does not depend on the parameters π");
      }
      if (in.image() != null) {
        Tensor y2 = randn(g, Torch.shape(in.image()));
        assertTrue(maxAbsDiff(out, in.withImage(y2).run(n)) > 1e-5, "output does not depend on the image y");
      }
    }
  }

  /**
   * One AdamW step on the ε-prediction loss ‖F(m x₀ + σ z, t) - z‖² (VP, β 0.1 -> 20) for a fixed batch,
   * times and noise lowers that loss. Returns {before, after}.
   */
  static double[] assertTrainingStepLowersLoss(Network n, Inputs in, Generator g, double lr) {
    try (PointerScope s = new PointerScope()) {
      Tensor t = in.t();
      Tensor b = t.mul(Torch.scalar(0.1)).add(t.mul(t).mul(Torch.scalar(0.5 * 19.9)));
      Tensor m = Torch.perSample(b.mul(Torch.scalar(-0.5)).exp(), in.x().dim());
      Tensor sigma = Torch.perSample(b.neg().exp().neg().add(Torch.scalar(1.0)).sqrt(), in.x().dim());
      Tensor z = randn(g, Torch.shape(in.x()));
      Tensor xt = in.x().mul(m).add(z.mul(sigma));
      Inputs noisy = new Inputs(xt, t, in.parameters(), in.image());
      AdamW opt = new AdamW(n.module().parameters(), new AdamWOptions(lr));
      Tensor before = noisy.run(n).sub(z).pow(Torch.scalar(2)).mean();
      opt.zero_grad();
      before.backward();
      opt.step();
      double after;
      try (NoGradGuard ng = new NoGradGuard()) {
        after = noisy.run(n).sub(z).pow(Torch.scalar(2)).mean().item_double();
      }
      double b0 = before.item_double();
      assertTrue(after < b0, "loss did not decrease: " + b0 + " -> " + after);
      return new double[] {b0, after};
    }
  }

  /**
   * Classifier-free condition dropout: in training mode each sample's output equals either the eval-mode
   * output with its full condition or the one without a condition (the dropped one), and both kinds occur;
   * eval mode never drops.
   */
  static void assertConditionDropout(Network n, Inputs in) {
    try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      n.module().train(true);
      Tensor train = in.run(n);
      n.module().eval();
      Tensor full = in.run(n);
      Tensor none = in.withParameters(null).withImage(null).run(n);
      assertTrue(full.equal(in.run(n)), "no condition dropout in eval mode");
      long b = in.x().size(0);
      int dropped = 0;
      for (int i = 0; i < b; i++) {
        double dFull = maxAbsDiff(train.select(0, i), full.select(0, i));
        double dNone = maxAbsDiff(train.select(0, i), none.select(0, i));
        assertTrue(Math.min(dFull, dNone) < 1e-5, "sample " + i + " is neither fully kept nor fully dropped");
        dropped += dNone < dFull ? 1 : 0;
      }
      assertTrue(dropped > 0 && dropped < b, "expected a mix of kept and dropped conditions, got " + dropped + " of " + b);
      n.module().train(true);
    }
  }

  /** (∂F/∂x) v_k {@code [K, B, D]} from the Jacobian autograd builds, one output coordinate at a time (x is [B, D]). */
  static Tensor autogradProducts(Network net, Tensor x, Tensor t, Tensor pi, Tensor tangents) {
    return autogradProducts(net, x, t, pi, null, tangents);
  }

  /** As above with an image condition too. */
  static Tensor autogradProducts(Network net, Tensor x, Tensor t, Tensor pi, Tensor image, Tensor tangents) {
    try (org.bytedeco.pytorch.AutoGradMode on = new org.bytedeco.pytorch.AutoGradMode(true)) {
      Tensor xr = x.detach().requires_grad_(true);
      Tensor y = net.forward(xr, t, pi, image);
      long d = x.size(1);
      org.bytedeco.pytorch.TensorVector columns = new org.bytedeco.pytorch.TensorVector();
      for (long i = 0; i < d; i++) {
        Tensor rowI = torch.grad(new org.bytedeco.pytorch.TensorVector(y.select(1, i).sum()),
            new org.bytedeco.pytorch.TensorVector(xr), new org.bytedeco.pytorch.TensorVector(),
            new org.bytedeco.pytorch.BoolOptional(i < d - 1), false, false).get(0); // [B, D] = ∂F_i/∂x
        columns.push_back(tangents.mul(rowI.unsqueeze(0)).sum(2)); // [K, B]
      }
      return torch.stack(columns, 2).detach();
    }
  }

  /**
   * forwardWithTangents against forward() (relative {@code outputTol}) and against autograd's products
   * (relative {@code jvpTol}).
   */
  static void assertTangentsMatch(TangentNetwork net, Tensor x, Tensor t, Tensor pi, Tensor tangents,
      double outputTol, double jvpTol) {
    Tangents r = net.forwardWithTangents(x, t, pi, null, tangents);
    Tensor expected;
    try (NoGradGuard off = new NoGradGuard()) {
      expected = net.forward(x, t, pi, null);
    }
    double outScale = expected.abs().max().item_double();
    double outErr = maxAbsDiff(r.output(), expected);
    Tensor reference = autogradProducts(net, x, t, pi, tangents);
    double jvpScale = reference.abs().max().item_double();
    double jvpErr = maxAbsDiff(r.jvp(), reference);
    assertTrue(outErr <= outputTol * outScale, "output differs from forward() by " + outErr + " (scale " + outScale + ")");
    assertTrue(jvpScale > 1e-3, "degenerate Jacobian " + jvpScale);
    assertTrue(jvpErr <= jvpTol * jvpScale, "tangents differ from autograd by " + jvpErr + " (scale " + jvpScale + ")");
    assertArrayEquals(Torch.shape(tangents), Torch.shape(r.jvp()));
  }
}
