package org.sbgm.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sbgm.InvalidInputException;
import org.sbgm.distributed.C10dGroup;
import org.sbgm.distributed.Group;
import org.sbgm.distributed.LocalLauncher;
import org.sbgm.distributed.Rendezvous;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Options of commands that run over several processes (c10d: Gloo on CPU, NCCL on CUDA), started one of
 * three ways: {@code --nproc N} (this command spawns and supervises N local ranks), torchrun's or SLURM's
 * environment ({@code RANK/WORLD_SIZE/LOCAL_RANK/MASTER_ADDR/MASTER_PORT}, or {@code SLURM_PROCID/
 * SLURM_NTASKS/SLURM_LOCALID} with {@code --master} or {@code MASTER_ADDR/MASTER_PORT}), or explicit
 * {@code --rank/--world-size/--master}. A command calls {@link #start} first:
 *
 * <pre>{@code
 * DistributedOptions.Start s = dist.start(spec, common);
 * if (s instanceof DistributedOptions.Launched l) return l.exitCode();   // --nproc: the ranks ran
 * try (DistributedOptions.Rank rank = (DistributedOptions.Rank) s) {      // this process is one rank
 *   ... rank.group(), rank.device() ...
 *   rank.finished();
 * }
 * }</pre>
 */
public final class DistributedOptions {
  @Option(names = "--nproc", paramLabel = "N",
      description = "Run N ranks on this machine (child processes on loopback) and supervise them.")
  Integer nproc;

  @Option(names = "--rank", paramLabel = "R", description = "This process's rank (with --world-size and --master).")
  Integer rank;

  @Option(names = "--world-size", paramLabel = "N", description = "The number of ranks (with --rank and --master).")
  Integer worldSize;

  @Option(names = "--master", paramLabel = "HOST:PORT",
      description = "Rank 0's address and store port (overrides MASTER_ADDR/MASTER_PORT under torchrun or SLURM).")
  String master;

  @Option(names = "--dist-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long a collective waits for a slow or dead rank before the run fails. Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  /** What {@link #start} decided. */
  public sealed interface Start permits Launched, Rank {}

  /** {@code --nproc}: the ranks ran as child processes and exited with {@code exitCode}. */
  public record Launched(int exitCode) implements Start {}

  /**
   * This process is one rank: its group (closed with this, without a collective, so a failing rank
   * leaves at once) and the device its tensors live on. Call {@link #finished()} after the work.
   */
  public record Rank(Group group, org.bytedeco.pytorch.Device device) implements Start, AutoCloseable {
    public boolean isRoot() {
      return group.isRoot();
    }

    /** A barrier once the work succeeded: no rank leaves (rank 0 with the store) while another still needs it. */
    public void finished() {
      group.barrier();
    }

    @Override
    public void close() {
      group.close();
    }
  }

  /** What a command does as one rank; returns the command's exit status. */
  @FunctionalInterface
  public interface RankWork {
    int run(Rank rank) throws Exception;
  }

  /**
   * {@link #start}, then: the launched ranks' exit status ({@code --nproc}), or {@code work} on this rank
   * followed by {@link Rank#finished()} (no rank leaves while another still needs the store).
   */
  public int run(CommandSpec spec, CommonOptions common, RankWork work) throws Exception {
    Start s = start(spec, common);
    if (s instanceof Launched launched) {
      return launched.exitCode();
    }
    try (Rank rank = (Rank) s) {
      int code = work.run(rank);
      rank.finished();
      return code;
    }
  }

  /** The collective timeout. */
  public Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new InvalidInputException("--dist-timeout is " + timeoutSeconds + "; expected at least 1 second.");
    }
    return Duration.ofSeconds(timeoutSeconds);
  }

  /**
   * Launches the local ranks ({@code --nproc}), or joins the group this process belongs to (explicit,
   * torchrun or SLURM), or returns the single-process group; applies the thread count and device of
   * {@code common} (each rank gets cores / ranks-per-machine threads unless {@code --threads} is given,
   * and CUDA device {@code LOCAL_RANK}).
   */
  public Start start(CommandSpec spec, CommonOptions common) throws Exception {
    Duration timeout = timeout();
    if (nproc != null) {
      if (rank != null || worldSize != null || master != null) {
        throw new InvalidInputException("--nproc starts its own ranks; do not combine it with --rank, --world-size"
            + " or --master.");
      }
      if (nproc < 1) {
        throw new InvalidInputException("--nproc is " + nproc + "; expected at least 1.");
      }
      if (nproc > 1) {
        List<String> args = withoutNproc(spec.commandLine().getParseResult().originalArgs());
        if (Main.debugRequested()) {
          args.add("--debug");
        }
        List<String> others = common.quiet() ? List.of() : List.of("--quiet");
        int code = new LocalLauncher(nproc, timeout).run(args, others, spec.commandLine().getOut(),
            spec.commandLine().getErr());
        return new Launched(code);
      }
    }
    Optional<Rendezvous> r = Rendezvous.resolve(rank, worldSize, master, System.getenv());
    if (r.isEmpty()) {
      return new Rank(Group.single(), common.apply());
    }
    Rendezvous rv = r.get();
    if (common.threads == null) {
      Integer given = Integer.getInteger("sbgm.threads");
      common.threads = given != null ? given : rv.threadsPerRank();
    }
    org.bytedeco.pytorch.Device device = rv.device(common.apply());
    Torch.init();
    return new Rank(C10dGroup.connect(rv, timeout, device.is_cuda()), device);
  }

  /** {@code args} without {@code --nproc N} / {@code --nproc=N}. */
  static List<String> withoutNproc(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--nproc")) {
        i++;
      } else if (!a.startsWith("--nproc=")) {
        out.add(a);
      }
    }
    return out;
  }
}
