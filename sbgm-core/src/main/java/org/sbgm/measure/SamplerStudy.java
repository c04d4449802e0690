package org.sbgm.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.sample.Ddim;
import org.sbgm.sample.DpmSolverPlusPlus;
import org.sbgm.sample.EdmHeun;
import org.sbgm.sample.EulerMaruyama;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.sample.Sampler;
import org.sbgm.sample.Samples;
import org.sbgm.sample.TimeGrid;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The few-step sampler measurement: for the 2-D mixture and the anisotropic 16-D mixture
 * ({@link StudyMixtures}), under VP (β 0.1 → 20) and VE (σ 0.01 → 50), at each evaluation budget, every
 * sampler's samples against exact draws (sliced W₂ with 128 directions, MMD²_u with the kernel of
 * {@link Mmd}), beside the Monte-Carlo floor of two exact sets of the same size, and for the
 * deterministic samplers the endpoint error against the exact flow ({@link EndpointError}, on the same
 * prior draws). A sampler's steps are the budget divided by its evaluations per step (EDM Heun 2, RK4
 * 4, rounded down), so its NFE column may fall below the budget. All in float64 with the exact score.
 *
 * @param samples the number of samples per run (and of exact draws)
 * @param budgets the NFE budgets
 */
public record SamplerStudy(int samples, int[] budgets) {
  /** The committed setting: 4000 samples, NFE 10, 20, 50, 100, 200. */
  public static SamplerStudy standard() {
    return new SamplerStudy(4000, new int[] {10, 20, 50, 100, 200});
  }

  /** How many independent exact sets give the Monte-Carlo floor. */
  public static final int FLOOR_PAIRS = 5;

  private static String spread(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean) / (v.length - 1);
    }
    return Table.number(mean) + " ± " + Table.number(Math.sqrt(var));
  }

  private record Method(String name, int perStep, boolean deterministic, IntFunction<Sampler> create) {}

  private static List<Method> methods() {
    DType f64 = DType.FLOAT64;
    return List.of(
        new Method("DDIM", 1, true, k -> new Ddim(k).withDType(f64)),
        new Method("DDIM η=1", 1, false, k -> new Ddim(k, 1, 1e-3, TimeGrid.uniform(), f64, null)),
        new Method("EDM Heun", 2, true, k -> new EdmHeun(k).withDType(f64)),
        new Method("EDM Heun S_churn=40", 2, false,
            k -> new EdmHeun(k, new EdmHeun.Churn(40, 0.05, 50, 1.003), 1e-3, TimeGrid.karras(7), f64, null)),
        new Method("DPM-Solver++(2M)", 1, true, k -> new DpmSolverPlusPlus(k).withDType(f64)),
        new Method("SDE-DPM-Solver++(2M)", 1, false, k -> new DpmSolverPlusPlus(k, 1, 1e-3, TimeGrid.logSnrUniform(), f64, null)),
        new Method("Euler–Maruyama", 1, false, k -> new EulerMaruyama(k).withDType(f64)),
        new Method("probability flow RK4", 4, true,
            k -> new ProbabilityFlow(ExplicitRungeKutta.rk4(), ConstantStep.steps(k), 1e-3, k + 10, f64, null)));
  }

  /** {@link #run} as the document docs/fast-sampling.md: the tables under their heading and notes on method. */
  public Report report(Consumer<String> progress) {
    return new Report("Few-step samplers against exact Gaussian mixtures", notes(), run(progress));
  }

  /** What the tables of {@link #run} measure and how (the paragraph above them in {@link #report}). */
  public String notes() {
    return "Every sampler from the same " + samples + " prior draws (seed 11), float64, exact score, ε = 1e-3. Sliced W₂ "
        + "(128 directions) and MMD²_u (Gaussian kernel, median-heuristic bandwidth of the exact draws) against "
        + samples + " exact draws; the first row of each table is the Monte-Carlo floor: the same statistics for "
        + FLOOR_PAIRS + " independent sets of exact draws, mean ± standard deviation. Below that spread "
        + "two rows do not differ; the endpoint errors resolve the deterministic samplers far more finely. "
        + "Endpoint error: per sample ‖x − x_ref‖₂ against the probability-flow ODE solved by Dopri5 at rtol = atol = "
        + "1e-9 from the same x_T (deterministic samplers only); the median is robust to the few points near a "
        + "separatrix between modes, which any finite step may send to the other mode, and which dominate the RMS. "
        + "Default grids: DDIM and Euler–Maruyama uniform in t, EDM Heun Karras ρ = 7, DPM-Solver++ log-SNR uniform "
        + "(first-order last step below 15 steps), RK4 uniform in t; EDM Heun and RK4 take 2 and 4 evaluations per step.";
  }

  /** One table per (mixture, SDE), reporting each finished row to {@code progress}. */
  public List<Table> run(Consumer<String> progress) {
    List<Table> tables = new ArrayList<>();
    GaussianMixture[] mixtures = {StudyMixtures.twoD(), StudyMixtures.anisotropic(16)};
    String[] names = {"2-D mixture (3 components)", "16-D anisotropic mixture (3 components, eigenvalues 1e-4 … 1)"};
    Sde[] sdes = {new VpSde(), new VeSde(0.01, 50)};
    String[] sdeNames = {"VP", "VE (σ 0.01 → 50)"};
    for (int m = 0; m < mixtures.length; m++) {
      for (int s = 0; s < sdes.length; s++) {
        tables.add(table(names[m] + ", " + sdeNames[s], new GaussianMixtureScore(mixtures[m], sdes[s]), progress));
      }
    }
    return tables;
  }

  private Table table(String title, GaussianMixtureScore oracle, Consumer<String> progress) {
    long[] shape = {oracle.mixture().dimension()};
    List<List<String>> rows = new ArrayList<>();
    SlicedWasserstein sw = new SlicedWasserstein(oracle.mixture().dimension(), 128, 3);
    EndpointError endpoints = new EndpointError(oracle, samples, shape, 11, 1e-3);
    try (PointerScope scope = new PointerScope()) {
      Tensor truth = oracle.sample(samples, Torch.generator(21), Torch.options(DType.FLOAT64));
      Mmd mmd = Mmd.medianHeuristic(truth);
      double[] swFloor = new double[FLOOR_PAIRS];
      double[] mmdFloor = new double[FLOOR_PAIRS];
      for (int i = 0; i < FLOOR_PAIRS; i++) {
        try (PointerScope pair = new PointerScope()) {
          Tensor other = oracle.sample(samples, Torch.generator(22 + i), Torch.options(DType.FLOAT64));
          swFloor[i] = sw.distance(other, truth);
          mmdFloor[i] = mmd.squared(other, truth);
        }
      }
      rows.add(List.of("exact draws (floor: mean ± sd of " + FLOOR_PAIRS + " sets)", "—", "—", spread(swFloor), spread(mmdFloor),
          "—", "—"));
      for (int budget : budgets) {
        for (Method method : methods()) {
          int steps = budget / method.perStep();
          if (steps < 1) {
            continue;
          }
          try (PointerScope run = new PointerScope()) {
            Sampler sampler = method.create().apply(steps);
            Samples out = sampler.sample(oracle, samples, shape, Condition.NONE, Torch.generator(11));
            String median = "—";
            String rms = "—";
            if (method.deterministic()) {
              EndpointError.Result e = endpoints.of(out);
              median = Table.number(e.median());
              rms = Table.number(e.rms());
            }
            List<String> row = List.of(method.name(), Integer.toString(budget), Integer.toString(out.nfe()),
                Table.number(sw.distance(out.x(), truth)), Table.number(mmd.squared(out.x(), truth)), median, rms);
            rows.add(row);
            progress.accept(title + ": " + String.join(" ", row));
          }
        }
      }
    } finally {
      endpoints.close();
    }
    return new Table(title, List.of("sampler", "NFE budget", "NFE", "sliced W₂", "MMD²", "endpoint error (median)",
        "endpoint error (RMS)"), rows);
  }
}
