package org.sbgm.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.inverse.DenseMatrix;
import org.sbgm.inverse.Dps;
import org.sbgm.inverse.ForwardOperator;
import org.sbgm.inverse.GaussianBlur;
import org.sbgm.inverse.GaussianMixturePosterior;
import org.sbgm.inverse.GuidedPosterior;
import org.sbgm.inverse.Mask;
import org.sbgm.inverse.Observation;
import org.sbgm.inverse.PosteriorSampler;
import org.sbgm.inverse.PosteriorSamples;
import org.sbgm.inverse.Replacement;
import org.sbgm.score.GaussianMixture;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.Sde;
import org.sbgm.sde.VeSde;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The inverse-problem measurement: priors on 1 × 4 × 4 images, a Gaussian (one component, covariance
 * eigenvalues 0.01 … 1, where MMPS is exact) and a three-component mixture (means from N(0, 0.7²), same
 * spectra), each under VP and VE with the exact score; a signal x drawn from the prior, y = A x + σ_y n
 * with σ_y = 0.1 for three operators: inpainting (6 of 16 pixels observed), a Gaussian blur (σ = 1 px)
 * and a dense 6 × 16 Gaussian matrix (entries N(0, 1/16)). Every method's posterior samples against
 * the exact posterior ({@link GaussianMixturePosterior}, {@link PosteriorComparison}): mean and
 * covariance errors and MMD² with their Monte-Carlo floors, NFE and VJPs. Methods at their library
 * defaults: DPS (ζ = 0.3, 200 steps), ΠGDM and MMPS (100 ancestral DDIM steps on the log-SNR grid; 20
 * and 2 CG iterations, and MMPS with 5), replacement and RePaint (U = 10) on 100 ancestral steps (mask only).
 *
 * @param samples posterior samples per run
 */
public record InverseStudy(int samples) {
  /** The committed setting: 2000 posterior samples per run. */
  public static InverseStudy standard() {
    return new InverseStudy(2000);
  }

  private static final long[] IMAGE = {1, 4, 4};

  /** {@link #run} as the document docs/inverse-problems.md: the tables under their heading and notes on method. */
  public Report report(Consumer<String> progress) {
    return new Report("Posterior samplers against exact posteriors", notes(), run(progress));
  }

  /** What the tables of {@link #run} measure and how (the paragraph above them in {@link #report}). */
  public String notes() {
    return "Mean error: ‖μ̂ − μ‖₂/√tr Σ (posterior standard deviations); covariance error: ‖Σ̂ − Σ‖_F/‖Σ‖_F; MMD²_u against "
        + samples + " exact posterior draws; the floor rows give the same statistics for " + samples
        + " exact draws. NFE counts score evaluations, VJPs the backward passes of the guidance. " + samples
        + " posterior samples per run, seed 5, float64, exact score, σ_y = 0.1. See InverseStudy for the problems.";
  }

  /** One table per (prior, SDE), reporting each finished row to {@code progress}. */
  public List<Table> run(Consumer<String> progress) {
    List<Table> tables = new ArrayList<>();
    GaussianMixture[] priors = {StudyMixtures.anisotropic(16, 1, 1, 0.01), StudyMixtures.anisotropic(16, 3, 0.7, 0.01)};
    String[] names = {"Gaussian prior", "3-component mixture prior"};
    Sde[] sdes = {new VpSde(), new VeSde(0.01, 50)};
    String[] sdeNames = {"VP", "VE"};
    for (int p = 0; p < priors.length; p++) {
      for (int s = 0; s < sdes.length; s++) {
        tables.add(table(names[p] + " (16-D, 1 × 4 × 4), " + sdeNames[s], priors[p], sdes[s], progress));
      }
    }
    return tables;
  }

  /** The operators of the study: inpainting, blur, dense. */
  public static List<ForwardOperator> operators() {
    double[] m = new double[16];
    for (int i = 0; i < 16; i++) {
      m[i] = i % 3 == 0 ? 1 : 0;
    }
    try (PointerScope scope = new PointerScope()) {
      return List.of(new Mask(Torch.tensor(m, DType.FLOAT64, IMAGE)), new GaussianBlur(IMAGE, 1.0),
          new DenseMatrix(Torch.randn(new long[] {6, 16}, Torch.generator(9), Torch.options(DType.FLOAT64)).div(Torch.scalar(4)),
              IMAGE));
    }
  }

  private Table table(String title, GaussianMixture prior, Sde sde, Consumer<String> progress) {
    GaussianMixtureScore oracle = new GaussianMixtureScore(prior, sde);
    List<List<String>> rows = new ArrayList<>();
    String[] operatorNames = {"inpainting", "blur", "dense"};
    List<ForwardOperator> operators = operators();
    for (int o = 0; o < operators.size(); o++) {
      ForwardOperator a = operators.get(o);
      try (PointerScope scope = new PointerScope()) {
        Tensor x = prior.sample(1, Torch.generator(3), Torch.options(DType.FLOAT64)).reshape(IMAGE);
        Observation observation = Observation.of(a, x, 0.1, Torch.generator(4));
        GaussianMixturePosterior exact = GaussianMixturePosterior.of(prior, observation);
        boolean floorShown = false;
        for (PosteriorSampler method : methods(a instanceof Mask)) {
          try (PointerScope run = new PointerScope()) {
            PosteriorSamples s = method.sample(oracle, observation, samples, null, Torch.generator(5));
            PosteriorComparison c = PosteriorComparison.of(exact, s.x(), Torch.generator(6));
            if (!floorShown) {
              rows.add(List.of(operatorNames[o], "exact draws (Monte-Carlo floor)", Table.number(c.meanFloor()),
                  Table.number(c.covarianceFloor()), Table.number(c.mmdFloor()), "—", "—"));
              floorShown = true;
            }
            List<String> row = List.of(operatorNames[o], method.describe(), Table.number(c.meanError()),
                Table.number(c.covarianceError()), Table.number(c.mmd()), Integer.toString(s.nfe()), Long.toString(s.vjps()));
            rows.add(row);
            progress.accept(title + ": " + String.join(" | ", row));
          }
        }
      }
    }
    return new Table(title, List.of("operator", "method", "mean error", "covariance error", "MMD²", "NFE", "VJPs"), rows);
  }

  private static List<PosteriorSampler> methods(boolean mask) {
    List<PosteriorSampler> m = new ArrayList<>(List.of(new Dps(200).withDType(DType.FLOAT64),
        GuidedPosterior.piGdm(100).withDType(DType.FLOAT64), GuidedPosterior.mmps(100).withDType(DType.FLOAT64),
        GuidedPosterior.mmps(GuidedPosterior.defaultBase(100), 5).withDType(DType.FLOAT64)));
    if (mask) {
      m.add(new Replacement(100).withDType(DType.FLOAT64));
      m.add(new Replacement(100).withPasses(10).withDType(DType.FLOAT64));
    }
    return m;
  }
}
