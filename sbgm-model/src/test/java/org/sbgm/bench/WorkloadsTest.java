package org.sbgm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The workloads are the reference's: names, sizes (parameter counts) and selection. */
class WorkloadsTest {
  /** The counts {@code reference.py} prints (nparams of its Mlp and UNet). */
  private static final long REFERENCE_MLP = 141058;
  private static final long REFERENCE_UNET = 793697;

  @Test
  void parameterCountsMatchTheReference() {
    for (Workloads.Spec spec : Workloads.ALL) {
      try (Workload w = Workloads.create(spec.name(), 1)) {
        assertEquals(spec.name(), w.name());
        long expected = spec.name().startsWith("sgemm") || spec.name().contains("oracle") ? 0
            : spec.name().startsWith("unet") ? REFERENCE_UNET : REFERENCE_MLP;
        assertEquals(expected, w.parameters(), spec.name());
      }
    }
  }

  @Test
  void referenceNamesAndCounts() {
    assertEquals(List.of("mlp-train-256", "mlp-train-4096", "mlp-train-256-bf16", "mlp-train-4096-bf16", "sgemm-2048",
        "unet-train-64", "unet-train-64-bf16", "ode-sample-mlp", "loglik-hutchinson-mlp", "loglik-exact-mlp",
        "loglik-adaptive-mlp", "loglik-adaptive-mlp-5e-5", "loglik-adaptive-oracle", "loglik-adaptive-oracle-exact",
        "loglik-adaptive-mlp-rms", "loglik-adaptive-oracle-exact-rms"),
        Workloads.names());
    assertEquals(new Workloads.Spec("unet-train-64-bf16", 10, 3), Workloads.spec("unet-train-64-bf16").orElseThrow());
    assertEquals(new Workloads.Spec("loglik-adaptive-mlp", 3, 1), Workloads.spec("loglik-adaptive-mlp").orElseThrow());
    assertEquals(new Workloads.Spec("mlp-train-256", 200, 20), Workloads.spec("mlp-train-256").orElseThrow());
    assertEquals(new Workloads.Spec("unet-train-64", 10, 3), Workloads.spec("unet-train-64").orElseThrow());
    assertEquals(new Workloads.Spec("loglik-exact-mlp", 3, 1), Workloads.spec("loglik-exact-mlp").orElseThrow());
  }

  @Test
  void selectionKeepsCatalogueOrderAndAddsSgemmToTheUNet() {
    assertEquals(List.of("sgemm-2048", "unet-train-64", "loglik-exact-mlp"),
        BenchSuite.select(List.of("loglik-exact-mlp", "unet-train-64")).stream().map(Workloads.Spec::name).toList());
    assertEquals(Workloads.ALL, BenchSuite.select(List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchSuite.select(List.of("mlp")));
    assertTrue(e.getMessage().contains("'mlp'"));
  }

  @Test
  void trainingWorkloadTakesRealTrainerSteps() {
    // A trainer sized for 2 runs takes exactly 2 steps; a third is refused by Trainer.trainUntil.
    try (Workload w = Workloads.create("mlp-train-256", 2)) {
      w.run();
      w.run();
      assertThrows(IllegalArgumentException.class, w::run);
    }
  }

  @Test
  void theSgemmNoteSaysWhenTheEnvironmentForcesOpenBlasKernels() {
    assertEquals("", SgemmWorkload.coreType(null));
    assertEquals("", SgemmWorkload.coreType(" "));
    assertEquals(", kernels forced by OPENBLAS_CORETYPE=Haswell", SgemmWorkload.coreType("Haswell"));
  }
}
