package org.sbgm.measure;

import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.sample.Sampler;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.DiffusionModel;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.PidController;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The endpoint error of a deterministic sampler: its samples against the exact flow from the same prior
 * draws x_T, the probability-flow ODE solved by Dopri5 at rtol = atol = {@value #REFERENCE_TOLERANCE} in
 * float64. Every sampler of the library draws x_T first from its generator, so two runs from the same
 * seed start at the same points. The error of sample i is e_i = ‖x_i − x_i^ref‖₂; reported are the
 * median (robust: a point on the separatrix between two modes may be sent to the other mode by any
 * finite step, which no order of convergence describes) and the root mean square.
 */
public final class EndpointError {
  /** The tolerance of the reference solve. */
  public static final double REFERENCE_TOLERANCE = 1e-9;
  private final DiffusionModel model;
  private final long n;
  private final long[] shape;
  private final long seed;
  private final double epsilon;
  private final Tensor reference;
  private final long referenceNfe;

  /**
   * The reference endpoints of {@code n} prior draws (seed {@code seed}) of {@code model}, flowed to ε.
   */
  public EndpointError(DiffusionModel model, long n, long[] shape, long seed, double epsilon) {
    this.model = Objects.requireNonNull(model, "model");
    this.n = n;
    this.shape = shape.clone();
    this.seed = seed;
    this.epsilon = epsilon;
    try (PointerScope scope = new PointerScope()) {
      ProbabilityFlow exact = new ProbabilityFlow(ExplicitRungeKutta.dopri5(),
          PidController.of(REFERENCE_TOLERANCE, REFERENCE_TOLERANCE), epsilon, 1_000_000, DType.FLOAT64, null);
      Samples s = exact.sample(model, n, shape, Condition.NONE, Torch.generator(seed));
      this.reference = Torch.retain(s.x().reshape(n, -1).contiguous());
      this.referenceNfe = s.nfe();
    }
  }

  /**
   * The errors of one sampler run.
   *
   * @param median the median over samples of ‖x − x^ref‖₂
   * @param rms sqrt(mean ‖x − x^ref‖₂²)
   * @param nfe the sampler's score evaluations
   */
  public record Result(double median, double rms, int nfe) {}

  /** The sampler (float64, from the same seed) against the reference. */
  public Result of(Sampler sampler) {
    try (PointerScope scope = new PointerScope()) {
      return of(sampler.sample(model, n, shape, Condition.NONE, Torch.generator(seed)));
    }
  }

  /** Samples a deterministic sampler drew from this model with the generator seeded {@code seed}, against the reference. */
  public Result of(Samples s) {
    try (PointerScope scope = new PointerScope()) {
      double[] e = Torch.toDoubles(s.x().reshape(n, -1).to(reference.scalar_type()).sub(reference).square()
          .sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt());
      double squares = 0;
      for (double v : e) {
        squares += v * v;
      }
      Arrays.sort(e);
      double median = e.length % 2 == 1 ? e[e.length / 2] : 0.5 * (e[e.length / 2 - 1] + e[e.length / 2]);
      return new Result(median, Math.sqrt(squares / e.length), s.nfe());
    }
  }

  /** The final time ε. */
  public double epsilon() {
    return epsilon;
  }

  /** The evaluations the reference solve took. */
  public long referenceNfe() {
    return referenceNfe;
  }

  /** Releases the reference endpoints. */
  public void close() {
    reference.releaseReference();
  }
}
