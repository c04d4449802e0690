package org.sbgm.solve;

import java.util.Objects;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;

/**
 * A predictor–corrector step: {@code correctorSteps} corrector moves at t0 (each a Markov-chain step
 * towards p_{t0}, such as a {@link LangevinCorrector}), then one predictor step from t0 to t1 (such as
 * {@link EulerMaruyama} on the reverse SDE). With Langevin correctors and the Euler–Maruyama predictor
 * this implements Algorithm 1 (predictor–corrector sampling) of Song et al. 2021, arXiv 2011.13456.
 * Noise is drawn in the order the parts ask for it: the correctors' z, then the predictor's ΔW. A step
 * costs the correctors' evaluations plus the predictor's; it has no error estimate.
 *
 * @param <F> the field both parts accept
 */
public final class CorrectedSolver<F extends VectorField> implements Solver<F> {
  private final Solver<? super F> corrector;
  private final int correctorSteps;
  private final Solver<? super F> predictor;

  /**
   * {@code correctorSteps} moves of {@code corrector} before each step of {@code predictor}.
   *
   * @throws InvalidInputException when correctorSteps is negative
   */
  public CorrectedSolver(Solver<? super F> corrector, int correctorSteps, Solver<? super F> predictor) {
    this.corrector = Objects.requireNonNull(corrector, "corrector");
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    if (correctorSteps < 0) {
      throw new InvalidInputException("The number of corrector steps must be at least 0, got " + correctorSteps + ".");
    }
    if (corrector.advancesTime()) {
      throw new InvalidInputException("The corrector " + corrector + " advances time; a corrector must stay at t0.");
    }
    if (!predictor.advancesTime()) {
      throw new InvalidInputException("The predictor " + predictor + " does not advance time; it must step from t0 to t1.");
    }
    this.correctorSteps = correctorSteps;
  }

  /** The number of corrector moves per step. */
  public int correctorSteps() {
    return correctorSteps;
  }

  @Override
  public boolean needsNoise() {
    return predictor.needsNoise() || (correctorSteps > 0 && corrector.needsNoise());
  }

  @Override
  public Step step(F field, double t0, double t1, Tensor y, Tensor firstStage, StepNoise noise) {
    Tensor x = y;
    int evaluations = 0;
    for (int j = 0; j < correctorSteps; j++) {
      Step moved = corrector.step(field, t0, t1, x, null, corrector.needsNoise() ? noise : null);
      x = moved.y();
      evaluations += moved.evaluations();
    }
    Step predicted = predictor.step(field, t0, t1, x, null, predictor.needsNoise() ? noise : null);
    return Step.of(predicted.y(), evaluations + predicted.evaluations());
  }

  @Override
  public String toString() {
    return "CorrectedSolver[" + correctorSteps + " x " + corrector + ", then " + predictor + "]";
  }
}
