package org.sbgm.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sbgm.measure.EndpointError;
import org.sbgm.measure.StudyMixtures;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.sde.SubVpSde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The deterministic few-step samplers converge to the exact probability-flow endpoints at their orders:
 * the log-log slope of the median endpoint error against the step size 1/N (N = 40 … 320) lies within
 * 0.3 of 1 (DDIM), 2 (EDM Heun) and 2 (DPM-Solver++(2M)), for the exact 2-D mixture under VP, sub-VP and
 * VE; and at 20 evaluations DPM-Solver++(2M) beats RK4 on the anisotropic 16-D mixture by a wide margin.
 */
class FewStepOrderTest {
  private static final int[] STEPS = {40, 80, 160, 320};
  private static int threads;

  @BeforeAll
  static void oneThread() {
    threads = Torch.threads();
    Torch.setThreads(1);
  }

  @AfterAll
  static void restore() {
    Torch.setThreads(threads);
  }

  static Stream<Arguments> methods() {
    Stream.Builder<Arguments> b = Stream.builder();
    Sde[] sdes = {new VpSde(), new SubVpSde(), new VeSde(0.01, 50)};
    String[] names = {"VP", "sub-VP", "VE"};
    for (int i = 0; i < sdes.length; i++) {
      b.add(Arguments.of(names[i] + " DDIM", sdes[i], 1, (IntFunction<Sampler>) n -> new Ddim(n).withDType(DType.FLOAT64)));
      b.add(Arguments.of(names[i] + " EDM Heun", sdes[i], 2, (IntFunction<Sampler>) n -> new EdmHeun(n).withDType(DType.FLOAT64)));
      b.add(Arguments.of(names[i] + " DPM-Solver++(2M)", sdes[i], 2,
          (IntFunction<Sampler>) n -> new DpmSolverPlusPlus(n).withDType(DType.FLOAT64)));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void endpointErrorFallsAtTheMethodsOrder(String name, Sde sde, int order, IntFunction<Sampler> sampler) {
    EndpointError error = new EndpointError(new GaussianMixtureScore(StudyMixtures.twoD(), sde), 128, new long[] {2}, 5, 1e-3);
    double[] x = new double[STEPS.length];
    double[] y = new double[STEPS.length];
    for (int i = 0; i < STEPS.length; i++) {
      EndpointError.Result r = error.of(sampler.apply(STEPS[i]));
      x[i] = Math.log(1.0 / STEPS[i]);
      y[i] = Math.log(r.median());
    }
    error.close();
    double slope = slope(x, y);
    System.out.printf("%s: slope %.3f (order %d)%n", name, slope, order);
    assertEquals(order, slope, 0.3, name + ": slope " + slope);
  }

  @Test
  void dpmSolverBeatsRk4AtTwentyEvaluations() {
    for (Sde sde : new Sde[] {new VpSde(), new VeSde(0.01, 50)}) {
      EndpointError error = new EndpointError(new GaussianMixtureScore(StudyMixtures.anisotropic(16), sde), 128,
          new long[] {16}, 7, 1e-3);
      EndpointError.Result dpm = error.of(new DpmSolverPlusPlus(20).withDType(DType.FLOAT64));
      EndpointError.Result rk4 = error.of(new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(5), 1e-3, 20,
          DType.FLOAT64, null));
      error.close();
      assertEquals(20, dpm.nfe());
      assertEquals(20, rk4.nfe());
      System.out.printf("%s at 20 NFE: DPM-Solver++(2M) median %.3e, RK4 %.3e, factor %.1f%n", sde, dpm.median(), rk4.median(),
          rk4.median() / dpm.median());
      assertTrue(dpm.median() * 10 < rk4.median(), sde + ": DPM-Solver++ " + dpm + " vs RK4 " + rk4);
    }
  }

  static double slope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }
}
