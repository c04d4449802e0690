package org.sbgm.cli.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
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
import org.sbgm.nn.MlpConfig;
import org.sbgm.score.Condition;
import org.sbgm.score.ReverseTime;
import org.sbgm.score.ScoreModel;
import org.sbgm.sde.Sdes;
import org.sbgm.solve.ConstantStep;
import org.sbgm.solve.ExplicitRungeKutta;
import org.sbgm.solve.Integrator;
import org.sbgm.solve.SaveAt;
import org.sbgm.solve.VectorField;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The solver's inner loop: one RK4 step (4 evaluations) of the probability-flow ODE of the reference
 * MLP at a batch of 2-D points, and the same step of a linear field (dy/dt = -y/2), whose evaluations
 * cost almost nothing, so that it measures the solver's own per-step cost (stage sums, finiteness
 * check, pointer scopes). Run: {@code java -cp 'sbgm-cli/target/classes:sbgm-cli/target/lib/*'
 * org.openjdk.jmh.Main SolverBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Xss4m"})
public class SolverBenchmark {
  @Param({"4096"})
  public int batch;

  private Tensor y0;
  private VectorField mlpField;
  private VectorField linearField;
  private NoGradGuard noGrad;

  @Setup(Level.Trial)
  public void setUp() {
    Torch.init();
    Torch.setThreads(1);
    ScoreModel model = new ScoreModel(MlpConfig.reference().create(0), Sdes.vp());
    mlpField = ReverseTime.probabilityFlow(model, Condition.NONE);
    linearField = (t, y) -> y.mul(Torch.scalar(-0.5));
    y0 = Torch.retain(Torch.randn(new long[] {batch, 2}, Torch.generator(1), Torch.options(DType.FLOAT32)));
    noGrad = new NoGradGuard();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    noGrad.close();
    y0.releaseReference();
  }

  private void step(VectorField f) {
    try (PointerScope scope = new PointerScope()) {
      Integrator.solve(f, y0, 1.0, 0.98, ExplicitRungeKutta.rk4(), ConstantStep.steps(1), SaveAt.finalOnly(), 10);
    }
  }

  /** One RK4 step of the MLP probability-flow field. */
  @Benchmark
  public void rk4StepMlp() {
    step(mlpField);
  }

  /** One RK4 step of a linear field: the solver's overhead alone. */
  @Benchmark
  public void rk4StepLinear() {
    step(linearField);
  }
}
