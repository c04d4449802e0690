package org.sbgm.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.sbgm.nn.UNetConfig;

/**
 * Runs workloads as the reference's {@code timed(fn, reps, warm)} does: {@code warm} untimed runs, then
 * {@code reps} timed runs, and reports the median in milliseconds. Each run executes inside its own
 * pointer scope, whose release (the freeing of that run's tensors) is part of the time.
 */
public final class BenchSuite {
  private BenchSuite() {}

  /**
   * The workloads to run for {@code only} (all when empty; a list of only blank names is refused), in catalogue order. Asking for the U-Net
   * also runs the sgemm calibration, so that the U-Net's FLOP rate can be read against it.
   *
   * @throws org.sbgm.InvalidInputException for an unknown name, or names that are all blank
   */
  public static List<Workloads.Spec> select(List<String> only) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String raw : only) {
      String name = raw.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (Workloads.spec(name).isEmpty()) {
        throw new org.sbgm.InvalidInputException("unknown workload '" + name + "' in --only; expected names from "
            + String.join(",", Workloads.names()));
      }
      wanted.add(name);
    }
    if (!only.isEmpty() && wanted.isEmpty()) {
      throw new org.sbgm.InvalidInputException("--only names no workload; expected names from "
          + String.join(",", Workloads.names()));
    }
    if (wanted.contains("unet-train-64") || wanted.contains("unet-train-64-bf16")) {
      wanted.add("sgemm-" + Workloads.SGEMM_SIZE);
    }
    List<Workloads.Spec> out = new ArrayList<>();
    for (Workloads.Spec s : Workloads.ALL) {
      if (wanted.isEmpty() || wanted.contains(s.name())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Runs {@code specs}, handing each result to {@code sink} as soon as it is measured.
   *
   * @param reps timed repetitions for every workload, or null for each workload's own count
   * @param warmup warm-up runs for every workload, or null for each workload's own count
   */
  public static List<BenchResult> run(List<Workloads.Spec> specs, Integer reps, Integer warmup,
      Consumer<BenchResult> sink) {
    return run(specs, reps, warmup, false, sink);
  }

  /**
   * As {@link #run(List, Integer, Integer, Consumer)}; with {@code cpuTime} each run is measured by the
   * calling thread's CPU time instead of the wall clock (for comparing versions on a busy machine with
   * one intra-op thread, where libtorch works on the calling thread; not comparable with the reference).
   */
  public static List<BenchResult> run(List<Workloads.Spec> specs, Integer reps, Integer warmup, boolean cpuTime,
      Consumer<BenchResult> sink) {
    if (reps != null && reps < 1) {
      throw new org.sbgm.InvalidInputException("--reps must be at least 1, got " + reps);
    }
    if (warmup != null && warmup < 0) {
      throw new org.sbgm.InvalidInputException("--warmup must be at least 0, got " + warmup);
    }
    List<BenchResult> results = new ArrayList<>();
    Double sgemmFlopRate = null;
    for (Workloads.Spec spec : specs) {
      int r = reps != null ? reps : spec.reps();
      int w = warmup != null ? warmup : spec.warmup();
      BenchResult result;
      try (Workload workload = Workloads.create(spec.name(), r + w)) {
        result = time(workload, r, w, cpuTime);
        if (workload instanceof SgemmWorkload sgemm) {
          sgemmFlopRate = sgemm.flops() / (result.medianMs() * 1e6);
          result = result.withExtra(String.format(Locale.ROOT, "GFLOP/s=%.1f", sgemmFlopRate));
        } else if (spec.name().startsWith("unet-train-64")) {
          result = result.withNote(result.note() + fellBack(workload, spec) + unetRate(result.medianMs(), sgemmFlopRate));
        } else if (workload instanceof TrainWorkload) {
          result = result.withNote(result.note() + fellBack(workload, spec));
        } else if (workload instanceof AdaptiveLoglikWorkload a) {
          result = result.withNote(a.noteAfterRuns());
        }
      }
      results.add(result);
      sink.accept(result);
    }
    return results;
  }

  /** " [ran in fp32: no native bfloat16]" for a bf16 training workload that fell back to float32, else "". */
  private static String fellBack(Workload workload, Workloads.Spec spec) {
    return workload instanceof TrainWorkload t && !t.precision().isBf16() && spec.name().endsWith("bf16")
        ? " [ran in fp32: no native bfloat16]" : "";
  }

  /** Times {@code w} by the wall clock: {@code warmup} untimed runs, then {@code reps} timed ones. */
  public static BenchResult time(Workload w, int reps, int warmup) {
    return time(w, reps, warmup, false);
  }

  /** Times {@code w} by the wall clock or by the calling thread's CPU time. */
  public static BenchResult time(Workload w, int reps, int warmup, boolean cpuTime) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmup; i++) {
      try (PointerScope scope = new PointerScope()) {
        w.run();
      }
    }
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
      try (PointerScope scope = new PointerScope()) {
        w.run();
      }
      ms[i] = ((cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
    }
    return BenchResult.of(w.name(), w.parameters(), w.note(), ms);
  }

  /** " [F GFLOP/step, R GFLOP/s, P% of sgemm-2048]" for the reference U-Net step of {@code ms} milliseconds. */
  static String unetRate(double ms, Double sgemmFlopRate) {
    double flops = UNetFlops.trainingStep(UNetConfig.reference(), 64, 28, 28);
    double rate = flops / (ms * 1e6);
    String s = String.format(Locale.ROOT, " [%.2f GFLOP/step (3x forward), %.2f GFLOP/s", flops / 1e9, rate);
    if (sgemmFlopRate != null) {
      s += String.format(Locale.ROOT, ", %.0f%% of sgemm-%d", 100 * rate / sgemmFlopRate, Workloads.SGEMM_SIZE);
    }
    return s + "]";
  }
}
