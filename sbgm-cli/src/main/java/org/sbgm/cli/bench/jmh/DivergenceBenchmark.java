package org.sbgm.cli.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sbgm.data.Toy;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.nn.MlpConfig;
import org.sbgm.score.Condition;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.torch.Torch;

/**
 * The likelihood's inner loop: log p of a batch of eight-Gaussians points under the reference MLP
 * through the augmented probability-flow ODE with one RK4 step (4 evaluations of the field, each a
 * forward pass and the divergence's vector-Jacobian products), with Hutchinson's estimator (one
 * Rademacher probe) or the exact divergence. Run: {@code java -cp
 * 'sbgm-cli/target/classes:sbgm-cli/target/lib/*' org.openjdk.jmh.Main DivergenceBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xss4m"})
public class DivergenceBenchmark {
  @Param({"4096"})
  public int batch;

  @Param({"hutchinson", "exact"})
  public String divergence;

  private ScoreModel model;
  private LogLikelihood likelihood;
  private Tensor x;
  private Generator generator;

  @Setup(Level.Trial)
  public void setUp() {
    Torch.init();
    Torch.setThreads(1);
    model = new ScoreModel(MlpConfig.reference().create(0), Sdes.vp());
    likelihood = LogLikelihood.builder().divergence(Divergence.parse(divergence, 1))
        .solver(ExplicitRungeKutta.rk4()).controller(ConstantStep.steps(1)).epsilon(1e-5).build();
    generator = Torch.generator(3);
    x = Torch.retain(Toy.eightGaussians(batch, Torch.generator(1)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    x.releaseReference();
  }

  /** One RK4 step of the augmented ODE (4 field evaluations with their divergences). */
  @Benchmark
  public double rk4StepLogLikelihood() {
    try (PointerScope scope = new PointerScope()) {
      return likelihood.evaluate(model, x, Condition.NONE, generator).nats()[0];
    }
  }
}
