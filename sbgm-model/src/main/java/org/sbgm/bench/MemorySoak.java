package org.sbgm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.config.ConfigFiles;
import org.sbgm.config.RunConfig;
import org.sbgm.model.LikelihoodSpec;
import org.sbgm.model.Model;
import org.sbgm.model.ModelSamples;
import org.sbgm.model.SamplerSpec;
import org.sbgm.model.TrainedModel;
import org.sbgm.model.Training;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;
import org.sbgm.train.TrainingListener;

/**
 * A long run in one JVM with its resident memory (RSS, from {@code /proc/self/status}) sampled as it
 * goes: training the demo's MLP ({@code eight-gaussians-mlp}, checkpoints included), then {@code calls}
 * sample calls and {@code calls} log-likelihood calls of the trained model. Native memory is freed by
 * pointer scopes, not by the garbage collector, so a leak shows as RSS that keeps growing; the growth is
 * measured from the end of a warm-up (by default the first tenth of each phase) to the largest later sample.
 * Run with a fixed, pre-touched heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so the Java heap
 * does not grow into the figure; {@code scripts/long-run-rss.sh} does (through {@code org.sbgm.cli.bench.MemorySoakRun}, which
 * adds the CSV file and the figure).
 */
public final class MemorySoak {
  private MemorySoak() {}

  /** One RSS sample: the phase ("train", "sample", "loglik"), the step or call, the RSS in MiB. */
  public record Sample(String phase, long index, double rssMiB) {}

  /**
   * The run's samples and each phase's growth after warm-up.
   *
   * @param samples every sample in order
   * @param warmUp the fraction of each phase that is warm-up (0.1 in the long run)
   */
  public record Result(List<Sample> samples, double warmUp) {
    /** The samples of one phase. */
    public List<Sample> phase(String name) {
      return samples.stream().filter(s -> s.phase().equals(name)).toList();
    }

    private List<Sample> sampled(String name) {
      List<Sample> p = phase(name);
      if (p.isEmpty()) {
        throw new IllegalArgumentException("the run has no RSS samples of phase '" + name + "'");
      }
      return p;
    }

    /** (max RSS after warm-up − RSS at the end of warm-up) / RSS at the end of warm-up, for {@code phase}. */
    public double growth(String phase) {
      List<Sample> p = sampled(phase);
      int warm = warmIndex(p.size());
      double base = p.get(warm).rssMiB();
      double max = p.subList(warm, p.size()).stream().mapToDouble(Sample::rssMiB).max().orElse(base);
      return (max - base) / base;
    }

    /** The largest RSS of {@code phase}. */
    public double max(String phase) {
      return sampled(phase).stream().mapToDouble(Sample::rssMiB).max().orElseThrow();
    }

    /**
     * One line per phase: {@code PHASE_rss_after_warmup_mib=… PHASE_rss_max_mib=… PHASE_growth_percent=…}, for
     * the phases "train", "sample" and "loglik".
     */
    public String summary() {
      StringBuilder b = new StringBuilder();
      for (String p : List.of("train", "sample", "loglik")) {
        b.append(String.format(Locale.ROOT, "%s_rss_after_warmup_mib=%.1f %s_rss_max_mib=%.1f %s_growth_percent=%.2f%n", p,
            warm(p), p, max(p), p, 100 * growth(p)));
      }
      return b.toString();
    }

    /** The RSS at the end of warm-up of {@code phase}. */
    public double warm(String phase) {
      List<Sample> p = sampled(phase);
      return p.get(warmIndex(p.size())).rssMiB();
    }

    private int warmIndex(int n) {
      return Math.max(0, (int) Math.ceil(n * warmUp) - 1);
    }
  }

  /** The resident set size of this process in MiB (Linux). */
  public static double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line (not Linux?)");
  }

  /**
   * Trains the demo's MLP for {@code steps} steps into {@code dir} (a checkpoint every {@code every}
   * steps, RSS sampled at the same steps), then makes {@code calls} sample calls (256 probability-flow
   * samples, RK4, 20 steps) and {@code calls} log-likelihood calls (16 points, exact divergence, rtol = atol
   * = 1e-3), sampling RSS every {@code callEvery} calls.
   */
  @SuppressWarnings("try")
  public static Result run(Path dir, long steps, long every, int calls, int callEvery, double warmUp,
      java.util.function.Consumer<String> log) {
    Torch.init();
    Torch.setThreads(1);
    List<Sample> samples = new ArrayList<>();
    RunConfig demo = ConfigFiles.builtIn("eight-gaussians-mlp");
    RunConfig config = demo.withTraining(demo.training().withSteps(steps).withCheckpointEvery(every));
    TrainedModel trained = Training.of(config).listener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double learningRate) {
        if (step % every == 0) {
          Sample s = new Sample("train", step, rssMiB());
          samples.add(s);
          log.accept(String.format(Locale.ROOT, "train step %d rss %.1f MiB", step, s.rssMiB()));
        }
      }
    }).run(dir);
    Model model = trained.model();
    SamplerSpec sampler = new SamplerSpec("ode", 20, null, null);
    LikelihoodSpec likelihood = new LikelihoodSpec("exact", null, 1e-3, 1e-3, null);
    Tensor points;
    try (PointerScope scope = new PointerScope()) {
      points = Torch.retain(model.sample(sampler, 16, 16, Condition.NONE, 1, null).x());
    }
    for (int call = 1; call <= calls; call++) {
      try (PointerScope scope = new PointerScope()) {
        ModelSamples s = model.sample(sampler, 256, 256, Condition.NONE, call, null);
        s.x().sum().item_double();
      }
      record(samples, "sample", call, callEvery, log);
    }
    for (int call = 1; call <= calls; call++) {
      try (PointerScope scope = new PointerScope()) {
        model.logLikelihood(likelihood, points, Condition.NONE, 16, call, null);
      }
      record(samples, "loglik", call, callEvery, log);
    }
    return new Result(List.copyOf(samples), warmUp);
  }

  private static void record(List<Sample> samples, String phase, int call, int every, java.util.function.Consumer<String> log) {
    if (call % every == 0) {
      Sample s = new Sample(phase, call, rssMiB());
      samples.add(s);
      log.accept(String.format(Locale.ROOT, "%s call %d rss %.1f MiB", phase, call, s.rssMiB()));
    }
  }

  /** The samples as CSV: phase,index,rss_mib. */
  public static String csv(Result r) {
    StringBuilder b = new StringBuilder("phase,index,rss_mib\n");
    for (Sample s : r.samples()) {
      b.append(s.phase()).append(',').append(s.index()).append(',').append(String.format(Locale.ROOT, "%.2f", s.rssMiB())).append('\n');
    }
    return b.toString();
  }
}
