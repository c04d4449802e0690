package org.sbgm.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.IntegrationException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** A model whose score turns NaN makes every sampler fail with the loop's one IntegrationException. */
@SuppressWarnings("try")
class SamplerFailureTest {
  @Test
  void aNonFiniteScoreFailsEverySamplerWithAnIntegrationException() {
    DiffusionModel nanBelowHalf = DiffusionModel.of(
        (x, t, c) -> t.select(0, 0).item_double() < 0.5 ? x.mul(Torch.scalar(Double.NaN)) : x.neg(), new VpSde());
    List<Sampler> samplers = List.of(new EulerMaruyama(20).withDType(DType.FLOAT64), new PredictorCorrector(20).withDType(DType.FLOAT64),
        new StochasticHeun(20).withDType(DType.FLOAT64), new ProbabilityFlow().withDType(DType.FLOAT64));
    for (Sampler s : samplers) {
      try (PointerScope scope = new PointerScope()) {
        IntegrationException e = assertThrows(IntegrationException.class,
            () -> s.sample(nanBelowHalf, 4, new long[] {2}, Condition.NONE, Torch.generator(1)), s.getClass().getSimpleName());
        assertTrue(e.getMessage().contains("at t = " + e.time()) && e.getMessage().contains("NFE = " + e.nfe()), e.getMessage());
        assertTrue(e.time() < 0.55 && e.time() > 0.3, s.getClass().getSimpleName() + " failed at t = " + e.time());
      }
    }
  }

  @Test
  void badSettingsAreInputErrors() {
    assertThrows(InvalidInputException.class, () -> new EulerMaruyama(0));
    assertThrows(InvalidInputException.class, () -> new StochasticHeun(-1));
    assertThrows(InvalidInputException.class, () -> new PredictorCorrector(10, -1, 0.16, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null));
    assertThrows(InvalidInputException.class, () -> new PredictorCorrector(10, 1, 0, 1e-3, TimeGrid.uniform(), DType.FLOAT32, null));
    assertThrows(InvalidInputException.class, () -> new EulerMaruyama(10, 0, TimeGrid.uniform(), DType.FLOAT32, null));
    DiffusionModel model = DiffusionModel.of((x, t, c) -> x.neg(), new VpSde());
    InvalidInputException late = assertThrows(InvalidInputException.class,
        () -> new EulerMaruyama(10, 2.0, TimeGrid.uniform(), DType.FLOAT32, null).sample(model, 4, new long[] {2}, null, Torch.generator(1)));
    assertTrue(late.getMessage().contains("epsilon must lie in (0, T=1.0), got 2.0"), late.getMessage());
    for (String rho : new String[] {"1e-300", "1e300", "0", "-2", "0.049"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> TimeGrid.parse("karras:" + rho));
      assertTrue(e.getMessage().startsWith("the Karras grid's rho must lie in [0.05, 100.0] (7 is the usual), got "),
          e.getMessage());
    }
    // the ends of the range give grids from T down to ε
    for (double rho : new double[] {0.05, 100}) {
      double[] ts = TimeGrid.parse("karras:" + rho).times(new VpSde(), 1e-3, 3);
      assertEquals(1.0, ts[0], 0);
      assertEquals(1e-3, ts[3], 0);
      assertTrue(ts[1] < ts[0] && ts[2] < ts[1] && ts[3] < ts[2], java.util.Arrays.toString(ts));
    }
  }
}
