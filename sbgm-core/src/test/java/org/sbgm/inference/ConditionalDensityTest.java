package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.likelihood.Divergence;
import org.sbgm.score.Condition;
import org.sbgm.score.ConditionalGaussianMixtureScore;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The conditional oracle and the log-density object on it: the oracle's score is the gradient of its
 * closed-form log-density and its draws have the right moments; (x, π) ↦ log p(x | π) through the ODE
 * agrees with the closed form and its π-gradient with the closed form's; the likelihood of fixed
 * observations with Hutchinson probes is one deterministic function of π whatever the batch.
 */
class ConditionalDensityTest {
  static ConditionalGaussianMixtureScore oracle;

  @BeforeAll
  static void init() {
    Torch.init();
    Torch.setThreads(1);
    oracle = ConditionalOracle.score();
  }

  @Test
  void theOraclesScoreIsTheGradientOfItsLogDensityAndItsDrawsHaveTheRightMean() {
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {32, 2}, Torch.generator(1), Torch.options(DType.FLOAT64));
      Tensor pi = Torch.randn(new long[] {32, 2}, Torch.generator(2), Torch.options(DType.FLOAT64));
      Tensor t = Torch.full(new long[] {32}, 0.3, x);
      Tensor grad;
      try (AutoGradMode on = new AutoGradMode(true)) {
        Tensor xr = x.detach().requires_grad_(true);
        grad = torch.grad(new TensorVector(oracle.logDensity(xr, t, pi).sum()), new TensorVector(xr), new TensorVector(),
            new BoolOptional(false), false, false).get(0);
      }
      assertArrayEquals(Torch.toDoubles(grad), Torch.toDoubles(oracle.score(x, t, Condition.ofParameters(pi))), 1e-12);
      // E[x | π] = Σ w_k (μ_k + A_k π) at π = (1, -1)
      Tensor p = Torch.tensor(new double[] {1, -1}, DType.FLOAT64, 1, 2).expand(40000, 2);
      double[] draws = Torch.toDoubles(oracle.sample(p, Torch.generator(3), Torch.options(DType.FLOAT64)).mean(
          new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
      double[] expected = {0.4 * (1 - 0.3) + 0.6 * (0.8 + 0.8), 0.4 * (-0.8) + 0.6 * (0.4 + 0.2 - 1.1)};
      assertArrayEquals(expected, draws, 0.02);
    }
  }

  @Test
  void theOdeDensityAndItsParameterGradientMatchTheClosedForm() {
    ConditionalDensity density = ConditionalOracle.density(oracle, Divergence.exact(), 1e-8);
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {6, 2}, Torch.generator(4), Torch.options(DType.FLOAT64));
      Tensor pi = Torch.randn(new long[] {6, 2}, Torch.generator(5), Torch.options(DType.FLOAT64));
      double[] ode = density.logDensity(x, pi);
      ConditionalDensity.Gradient g = density.logDensityAndGradient(x, pi);
      Tensor exactGrad;
      double[] exact;
      try (AutoGradMode on = new AutoGradMode(true)) {
        Tensor leaf = pi.detach().requires_grad_(true);
        Tensor lp = oracle.logDensity(x, 1e-5, leaf);
        exact = Torch.toDoubles(lp.detach());
        exactGrad = torch.grad(new TensorVector(lp.sum()), new TensorVector(leaf), new TensorVector(), new BoolOptional(false),
            false, false).get(0);
      }
      double[] eg = Torch.toDoubles(exactGrad);
      // the likelihood of fixed observations sums the rows' values and gradients
      ObservedLikelihood ll = density.given(x.narrow(0, 0, 2), 64);
      double[] p0 = Torch.toDoubles(pi.narrow(0, 0, 1));
      ConditionalDensity.Gradient total = ll.gradient(new double[][] {p0});
      ConditionalDensity.Gradient rows = density.logDensityAndGradient(x.narrow(0, 0, 2), pi.narrow(0, 0, 1));
      assertEquals(rows.values()[0] + rows.values()[1], total.values()[0], 1e-9);
      for (int j = 0; j < 2; j++) {
        assertEquals(rows.gradient()[0][j] + rows.gradient()[1][j], total.gradient()[0][j], 1e-8);
      }
      for (int b = 0; b < 6; b++) {
        assertEquals(exact[b], ode[b], 1e-6, "log p(x | π), row " + b);
        assertEquals(ode[b], g.values()[b], 1e-9, "the differentiable solve gives the same value");
        for (int j = 0; j < 2; j++) {
          assertEquals(eg[2 * b + j], g.gradient()[b][j], 1e-5 * Math.max(1, Math.abs(eg[2 * b + j])),
              "∂ log p/∂π_" + j + ", row " + b);
        }
      }
    }
  }

  /** A network's π-gradient through the solve against central differences of the same deterministic function. */
  @Test
  void aNetworksParameterGradientMatchesCentralDifferences() {
    try (PointerScope s = new PointerScope()) {
      var net = new org.sbgm.nn.MlpConfig(2, 32, 2, org.sbgm.nn.Activation.SILU,
          org.sbgm.nn.TimeEmbeddingConfig.fourier(4, 4.0), 2).create(3);
      net.to(DType.FLOAT64.scalarType(), false);
      org.sbgm.score.ScoreModel model = new org.sbgm.score.ScoreModel(net, new org.sbgm.sde.VpSde());
      for (Divergence divergence : new Divergence[] {Divergence.exact(), Divergence.hutchinson(2)}) {
        org.sbgm.likelihood.LogLikelihood ll = org.sbgm.likelihood.LogLikelihood.builder().divergence(divergence)
            .solver(org.sbgm.solve.ExplicitRungeKutta.rk4()).controller(org.sbgm.solve.ConstantStep.steps(12))
            .epsilon(1e-3).build();
        ConditionalDensity density = new ConditionalDensity(model, ll, org.sbgm.data.Affine.of(2, 0.5),
            Condition::ofParameters, 2, new long[] {2}, DType.FLOAT64, 9);
        Tensor x = Torch.randn(new long[] {4, 2}, Torch.generator(4), Torch.options(DType.FLOAT64));
        double[][] pi = {{0.3, -0.2}, {1.0, 0.5}, {-0.7, 0.1}, {0.0, 0.0}};
        ConditionalDensity.Gradient g = density.logDensityAndGradient(x, Torch.tensor(ConditionalOracle.flat(pi),
            DType.FLOAT64, 4, 2));
        double h = 1e-5;
        for (int j = 0; j < 2; j++) {
          double[][] up = new double[4][];
          double[][] down = new double[4][];
          for (int b = 0; b < 4; b++) {
            up[b] = pi[b].clone();
            down[b] = pi[b].clone();
            up[b][j] += h;
            down[b][j] -= h;
          }
          double[] fu = density.logDensity(x, Torch.tensor(ConditionalOracle.flat(up), DType.FLOAT64, 4, 2));
          double[] fd = density.logDensity(x, Torch.tensor(ConditionalOracle.flat(down), DType.FLOAT64, 4, 2));
          for (int b = 0; b < 4; b++) {
            double central = (fu[b] - fd[b]) / (2 * h);
            assertEquals(central, g.gradient()[b][j], 1e-6 * Math.max(1, Math.abs(central)), divergence + " row " + b);
          }
        }
        assertTrue(Math.abs(g.gradient()[0][0]) > 1e-4, "a degenerate gradient proves nothing");
      }
    }
  }

  @Test
  void fixedProbesMakeTheLikelihoodOneDeterministicFunctionOfTheParameters() {
    ConditionalDensity density = ConditionalOracle.density(oracle, Divergence.hutchinson(2), 1e-6);
    try (PointerScope s = new PointerScope()) {
      Tensor observations = Torch.tensor(new double[] {0.5, 0.2, -0.3, 0.6, 1.0, -0.2}, DType.FLOAT64, 3, 2);
      ObservedLikelihood ll = density.given(observations, 64);
      double[][] theta = {{0.1, 0.2}, {-0.5, 0.4}, {1.0, -1.0}, {0.3, 0.3}};
      double[] all = ll.logLikelihood(theta);
      double[] again = ll.logLikelihood(theta);
      double[] alone = ll.logLikelihood(new double[][] {theta[2]});
      double[] reordered = ll.logLikelihood(new double[][] {theta[3], theta[2], theta[0]});
      assertArrayEquals(all, again, 0.0, "the same call gives the same values");
      assertEquals(all[2], alone[0], 1e-12, "a point's likelihood does not depend on the rest of the batch");
      assertEquals(all[2], reordered[1], 1e-12);
      assertEquals(all[0], reordered[2], 1e-12);
      double[] exact = ConditionalOracle.exact(oracle, new double[][] {{0.5, 0.2}, {-0.3, 0.6}, {1.0, -0.2}}).logLikelihood(theta);
      for (int c = 0; c < theta.length; c++) {
        assertEquals(exact[c], all[c], 1.5, "Hutchinson with 2 probes is an estimate near the exact value");
      }
      assertEquals(4, ll.solves());
    }
  }

  @Test
  void badInputsAreOneSentence() {
    ConditionalDensity density = ConditionalOracle.density(oracle, Divergence.exact(), 1e-5);
    try (PointerScope s = new PointerScope()) {
      Tensor x = Torch.randn(new long[] {3, 2}, Torch.generator(4), Torch.options(DType.FLOAT64));
      assertEquals("the parameters must be [3, 2] (one row per point) or [1, 2], got [3, 3]",
          assertThrows(InvalidInputException.class, () -> density.logDensity(x, Torch.randn(new long[] {3, 3},
              Torch.generator(1), Torch.options(DType.FLOAT64)))).getMessage());
      assertEquals("the data have shape [3, 3], but the model's samples are [N, 2] with N >= 1",
          assertThrows(InvalidInputException.class, () -> density.given(Torch.randn(new long[] {3, 3}, Torch.generator(1),
              Torch.options(DType.FLOAT64)), 10)).getMessage());
    }
  }
}
