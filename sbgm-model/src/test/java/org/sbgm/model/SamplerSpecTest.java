package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.inverse.Dps;
import org.sbgm.inverse.GuidedPosterior;
import org.sbgm.inverse.Replacement;
import org.sbgm.sample.Ddim;
import org.sbgm.sample.DpmSolverPlusPlus;
import org.sbgm.sample.EdmHeun;
import org.sbgm.sample.GridSampler;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.sde.VeSde;
import org.sbgm.torch.Torch;

/** The names, defaults and refusals of the few-step samplers and the posterior methods. */
class SamplerSpecTest {
  private static final GaussianMixture MIXTURE = new GaussianMixture(new double[] {0.5, 0.5},
      new double[][] {{-2, 0}, {2, 0}}, new double[][][] {{{0.5, 0}, {0, 0.5}}, {{0.5, 0.2}, {0.2, 0.5}}});

  @Test
  void theFewStepSamplersHaveTheirDefaultsAndCountTheirEvaluations() {
    Model oracle = Model.oracle(MIXTURE, new VeSde());
    Object[][] cases = {{"ddim", Ddim.class, 50, 50, "uniform"}, {"edm-heun", EdmHeun.class, 18, 36, "karras:7.0"},
        {"dpm-solver++", DpmSolverPlusPlus.class, 20, 20, "logsnr"}};
    for (Object[] c : cases) {
      SamplerSpec spec = SamplerSpec.of((String) c[0]);
      GridSampler s = (GridSampler) spec.create(null);
      assertInstanceOf((Class<?>) c[1], s);
      assertEquals(c[2], s.steps());
      assertEquals(c[4], s.grid().toString());
      try (PointerScope scope = new PointerScope()) {
        ModelSamples drawn = oracle.sample(spec, 16, 16, Condition.NONE, 1, null);
        assertEquals(((Integer) c[3]).longValue(), drawn.nfe(), c[0] + " NFE");
      }
    }
    SamplerSpec custom = new SamplerSpec("edm-heun", 7, null, null, null, new EdmHeun.Churn(10, 0.1, 5, 1.003), "logsnr");
    EdmHeun e = (EdmHeun) custom.create(null);
    assertEquals(10, e.churn().sChurn());
    assertEquals("logsnr", e.grid().toString());
    assertEquals(1.0, ((Ddim) new SamplerSpec("ddim", null, null, null, 1.0, null, null).create(null)).eta());
    assertEquals("dpm-solver++ (20 steps, eta=1.0, logsnr grid)",
        new SamplerSpec("dpm-solver++", null, null, null, 1.0, null, null).describe());
  }

  @Test
  void settingsThatDoNotApplyAreRefusedNamingTheSetting() {
    assertEquals("eta applies only to the ddim and dpm-solver++ samplers, not to em",
        assertThrows(InvalidInputException.class, () -> new SamplerSpec("em", null, null, null, 0.5, null, null)).getMessage());
    assertEquals("churn applies only to the edm-heun sampler, not to ddim", assertThrows(InvalidInputException.class,
        () -> new SamplerSpec("ddim", null, null, null, null, EdmHeun.Churn.of(1), null)).getMessage());
    assertEquals("the DDIM stochasticity eta must lie in [0, 1], got 1.5", assertThrows(InvalidInputException.class,
        () -> new SamplerSpec("ddim", null, null, null, 1.5, null, null)).getMessage());
    assertThrows(InvalidInputException.class, () -> new SamplerSpec("ode", null, null, null, null, null, "karras"));
    assertEquals("the time grid must be one of uniform, quadratic, logsnr, karras or karras:RHO, got 'cosine'",
        assertThrows(InvalidInputException.class, () -> new SamplerSpec("ddim", null, null, null, null, null, "cosine")).getMessage());
    assertThrows(InvalidInputException.class, () -> new EdmHeun.Churn(1, 2, 1, 1));
  }

  @Test
  void posteriorMethodsByName() {
    assertInstanceOf(Dps.class, PosteriorSpec.of("dps").create(null, org.sbgm.torch.DType.FLOAT32));
    assertInstanceOf(GuidedPosterior.class, PosteriorSpec.of("mmps").create(null, org.sbgm.torch.DType.FLOAT32));
    assertInstanceOf(GuidedPosterior.class, PosteriorSpec.of("pigdm").create(null, org.sbgm.torch.DType.FLOAT32));
    assertInstanceOf(Replacement.class, PosteriorSpec.of("repaint").create(null, org.sbgm.torch.DType.FLOAT32));
    assertEquals(200, PosteriorSpec.of("dps").stepsOr());
    assertEquals("zeta applies only to the dps method, not to mmps",
        assertThrows(InvalidInputException.class, () -> new PosteriorSpec("mmps", null, 0.5, null, null)).getMessage());
    assertEquals("method must be one of dps, pigdm, mmps, repaint, got 'ddrm'",
        assertThrows(InvalidInputException.class, () -> PosteriorSpec.of("ddrm")).getMessage());
    assertThrows(InvalidInputException.class, () -> new PosteriorSpec("repaint", null, null, null, 0));
  }
}
