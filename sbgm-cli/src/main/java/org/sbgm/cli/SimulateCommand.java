package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.sbgm.InvalidInputException;
import org.sbgm.data.LinearGaussian;
import org.sbgm.io.Npy;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sbgm simulate}: simulated (θ, x) pairs of a built-in simulator, for simulation-based inference. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Simulate N pairs (θ, x) of a built-in simulator and write them to an .npz archive with the arrays "
        + "theta [N, P] and x [N, P]: the training data of simulation-based inference.",
        "linear-gaussian: θ ~ N(0, I_P), x | θ ~ N(θ - 1, 0.3 I) (P = 3 by default), whose posterior is exact; the "
            + "command prints it at the observation --observation (default 0)."},
    footer = {"", "Example (posterior estimation in three commands):",
        "  sbgm simulate linear-gaussian --n 20000 --out pairs.npz --observed x_obs.npy",
        "  sbgm train --config configs/sbi-linear-gaussian.yaml --out runs/sbi",
        "  sbgm sample --model runs/sbi --conditions x_obs.npy --n 2000 --out posterior.npy"})
final class SimulateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SIMULATOR", description = "linear-gaussian")
  String simulator;

  @Option(names = "--n", paramLabel = "N", required = true, description = "The number of simulated pairs.")
  long n;

  @Option(names = "--dimension", paramLabel = "P", defaultValue = "3", description = "The size of θ and x (default ${DEFAULT-VALUE}).")
  int dimension;

  @Option(names = "--observation", paramLabel = "X1,X2,...",
      description = "The observation at which the exact posterior is printed (default: zeros).")
  String observation;

  @Option(names = "--observed", paramLabel = "FILE.npy", description = "Also write the observation [1, P] to this file.")
  Path observed;

  @Option(names = "--out", paramLabel = "FILE.npz", required = true, description = "Where to write the pairs.")
  Path out;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!"linear-gaussian".equals(simulator)) {
      throw new InvalidInputException("the simulator must be linear-gaussian, got '" + simulator + "'");
    }
    Outputs.atLeast("--n", n, 1);
    Outputs.file("--out", out, ".npz");
    Outputs.file("--observed", observed, ".npy");
    LinearGaussian sim = new LinearGaussian(dimension, -1, 0.3);
    try {
      Npy.checkWritable("--n × --dimension = " + n + " × " + dimension + " float32 values", (double) n * dimension, 4);
      LinearGaussian.checkSize(n, dimension);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage() + "; use a smaller --n or --dimension", e);
    }
    double[] xo = observation == null ? new double[dimension] : Numbers.parse("--observation", observation);
    if (xo.length != dimension) {
      throw new InvalidInputException("--observation must hold " + dimension + (dimension == 1 ? " value" : " values")
          + ", got " + xo.length);
    }
    common.apply();
    try (PointerScope scope = new PointerScope(); Generator g = Torch.generator(common.seedOr(0))) {
      sim.simulate(n, g, DType.FLOAT32).write(out);
      if (observed != null) {
        Npy.write(observed, Torch.tensor(xo, DType.FLOAT32, 1, dimension));
      }
    }
    double[] mean = sim.posteriorMean(new double[][] {xo});
    StringBuilder m = new StringBuilder();
    for (int j = 0; j < dimension; j++) {
      m.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", mean[j]));
    }
    spec.commandLine().getOut().println(String.format(Locale.ROOT,
        "simulations=%d dimension=%d exact_posterior_mean=%s exact_posterior_variance=%.4f", n, dimension, m,
        sim.posteriorVariance(1)));
    spec.commandLine().getOut().println("wrote " + out + (observed == null ? "" : ", " + observed));
    return 0;
  }
}
