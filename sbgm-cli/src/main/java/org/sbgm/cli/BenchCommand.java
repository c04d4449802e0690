package org.sbgm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.sbgm.bench.BenchResult;
import org.sbgm.bench.BenchSuite;
import org.sbgm.bench.Workloads;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sbgm bench}: runs the reference workloads with this library's classes and prints one line per
 * workload, {@code NAME <tab> median ms <tab> params=N <tab> note}, as {@code reference.py} does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Times the reference workloads (mlp-train-256, mlp-train-4096, unet-train-64, unet-train-64-bf16, "
        + "ode-sample-mlp, loglik-hutchinson-mlp, loglik-exact-mlp, loglik-adaptive-mlp, and the sgemm-2048 "
        + "calibration), plus sbgm's own (mlp-train-*-bf16, loglik-adaptive-mlp-5e-5, loglik-adaptive-oracle[-exact]: "
        + "the error against the exact mixture log-density; loglik-adaptive-mlp-rms and loglik-adaptive-oracle-exact-rms: "
        + "the same with scipy's error norm, one RMS over the batch), with this library's own classes and prints one line "
        + "each in the format of the PyTorch reference: NAME<TAB>median ms<TAB>params=N<TAB>note."})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--only", split = ",", paramLabel = "NAME",
      description = "Run only these workloads (comma-separated). unet-train-64 also runs sgemm-2048.")
  List<String> only;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
      description = "Threads of libtorch and of OpenBLAS, its matrix products (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--json", paramLabel = "FILE.json", description = "Also write every result (with each timed run) as JSON.")
  Path json;

  @Option(names = "--reps", hidden = true, description = "Timed repetitions of every workload (overrides the reference's counts).")
  Integer reps;

  @Option(names = "--warmup", hidden = true, description = "Warm-up runs of every workload (overrides the reference's counts).")
  Integer warmup;

  @Option(names = "--cpu-time", hidden = true,
      description = "Measure the calling thread's CPU time instead of the wall clock (for A/B runs on a busy machine).")
  boolean cpuTime;

  @Override
  public void run() {
    if (threads < 1) {
      throw new org.sbgm.InvalidInputException("--threads must be at least 1, got " + threads);
    }
    List<Workloads.Spec> specs = BenchSuite.select(only == null ? List.of() : only.isEmpty() ? List.of("") : only);
    Outputs.file("--json", json, ".json");
    Torch.init();
    Torch.setThreads(threads);
    PrintWriter out = spec.commandLine().getOut();
    List<BenchResult> results = BenchSuite.run(specs, reps, warmup, cpuTime, r -> {
      out.println(r.line());
      out.flush();
    });
    if (json != null) {
      writeJson(results);
    }
  }

  private void writeJson(List<BenchResult> results) {
    try {
      BenchResult.writeJson(json, results, threads);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not write " + json + ": " + e.getMessage(), e);
    }
  }
}
