package org.sbgm.distributed;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sbgm.InvalidInputException;

/**
 * Where a rank finds the others: its rank, the world size, its index on its node, and the master
 * (rank 0's host and store port). Three sources, as torchrun and SLURM users know them:
 * <ul>
 *   <li>explicit: {@code --rank r --world-size N --master host:port} ({@link #explicit});</li>
 *   <li>torchrun's environment: {@code RANK, WORLD_SIZE, LOCAL_RANK, [LOCAL_WORLD_SIZE,] MASTER_ADDR, MASTER_PORT};</li>
 *   <li>SLURM's: {@code SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, [SLURM_NTASKS_PER_NODE]}, with the
 *       master given by the flag or by {@code MASTER_ADDR}/{@code MASTER_PORT} ({@link #fromEnvironment}).</li>
 * </ul>
 *
 * @param rank this process's rank, in [0, worldSize)
 * @param worldSize the number of ranks, at least 1
 * @param localRank this process's index among the ranks on its machine (picks its GPU)
 * @param localWorldSize the number of ranks on this machine (divides the cores among them)
 * @param host the master's host name or address
 * @param port the master's store port, in [1, 65535]
 * @param loopbackOnly true for ranks started by {@code --nproc} on one machine: the store listens on 127.0.0.1 only
 * @param source where this came from ("explicit", "torchrun", "slurm", "local"), named in messages
 * @param externalStore true when the store at the master is served by someone else, every rank a client:
 *     torchrun's agent does so when it sets {@code TORCHELASTIC_USE_AGENT_STORE=True}
 */
public record Rendezvous(int rank, int worldSize, int localRank, int localWorldSize, String host, int port,
    boolean loopbackOnly, String source, boolean externalStore) {

  public Rendezvous {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(source, "source");
    if (worldSize < 1) {
      throw new InvalidInputException("The world size is " + worldSize + " (" + source + "); expected at least 1.");
    }
    if (rank < 0 || rank >= worldSize) {
      throw new InvalidInputException("The rank is " + rank + " (" + source + "); expected a rank in [0, "
          + (worldSize - 1) + "] for world size " + worldSize + ".");
    }
    if (localWorldSize < 1 || localRank < 0 || localRank >= localWorldSize) {
      throw new InvalidInputException("The local rank is " + localRank + " of " + localWorldSize + " (" + source
          + "); expected a local rank in [0, local world size).");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidInputException("The master port is " + port + " (" + source + "); expected a port in [1, 65535].");
    }
    if (host.isBlank()) {
      throw new InvalidInputException("The master host is empty (" + source + "); expected a host name or address.");
    }
  }

  /**
   * The rendezvous a process takes part in: the explicit {@code rank}, {@code worldSize} and
   * {@code master} (all three, or none of them), else torchrun's or SLURM's variables in {@code env}
   * ({@code master}, when given, overriding their master); empty for a single process. Settings that do
   * not go together are one sentence.
   */
  public static Optional<Rendezvous> resolve(Integer rank, Integer worldSize, String master, Map<String, String> env) {
    if (rank != null || worldSize != null) {
      if (rank == null || worldSize == null || master == null) {
        throw new InvalidInputException("--rank, --world-size and --master go together; got --rank " + rank
            + ", --world-size " + worldSize + ", --master " + master + ".");
      }
      return Optional.of(explicit(rank, worldSize, master));
    }
    Optional<Rendezvous> fromEnv = fromEnvironment(env, master);
    if (fromEnv.isEmpty() && master != null) {
      throw new InvalidInputException("--master " + master + " was given without --rank/--world-size and no torchrun or"
          + " SLURM environment; expected all three flags, or --nproc N on one machine.");
    }
    return fromEnv;
  }

  /** Intra-op threads for this rank when none were asked for: this machine's cores shared by its ranks. */
  public int threadsPerRank() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / localWorldSize);
  }

  /** This rank's device: CUDA device {@code localRank} when {@code requested} is CUDA, else {@code requested}. */
  public org.bytedeco.pytorch.Device device(org.bytedeco.pytorch.Device requested) {
    return requested.is_cuda() ? new org.bytedeco.pytorch.Device("cuda:" + localRank) : requested;
  }

  /** Ranks given on the command line: {@code master} is {@code host:port}. */
  public static Rendezvous explicit(int rank, int worldSize, String master) {
    String[] hp = hostPort(master, "--master");
    return new Rendezvous(rank, worldSize, rank, worldSize, hp[0], port(hp[1], "--master " + master), false, "explicit",
        false);
  }

  /** A rank started by the local launcher: the store listens on loopback only. */
  public static Rendezvous local(int rank, int worldSize, int port) {
    return new Rendezvous(rank, worldSize, rank, worldSize, "127.0.0.1", port, true, "local", false);
  }

  /**
   * The rendezvous described by torchrun's or SLURM's variables in {@code env}, or empty when neither
   * launcher's variables are set. {@code master} ({@code host:port}, or null) overrides
   * {@code MASTER_ADDR}/{@code MASTER_PORT}. Missing or inconsistent variables are one sentence.
   */
  public static Optional<Rendezvous> fromEnvironment(Map<String, String> env, String master) {
    if (env.containsKey("RANK") || env.containsKey("WORLD_SIZE")) {
      int worldSize = integer(env, "WORLD_SIZE", "torchrun");
      int rank = integer(env, "RANK", "torchrun");
      int localRank = env.containsKey("LOCAL_RANK") ? integer(env, "LOCAL_RANK", "torchrun") : rank;
      int localWorld = env.containsKey("LOCAL_WORLD_SIZE") ? integer(env, "LOCAL_WORLD_SIZE", "torchrun")
          : Math.max(localRank + 1, 1);
      String[] hp = master(env, master, "torchrun");
      checkRank(rank, worldSize, "RANK", "WORLD_SIZE");
      boolean agentStore = "true".equalsIgnoreCase(env.getOrDefault("TORCHELASTIC_USE_AGENT_STORE", "")) && master == null;
      return Optional.of(new Rendezvous(rank, worldSize, localRank, localWorld, hp[0],
          port(hp[1], "MASTER_PORT " + hp[1]), false, "torchrun", agentStore));
    }
    if (env.containsKey("SLURM_PROCID")) {
      int worldSize = integer(env, "SLURM_NTASKS", "SLURM");
      int rank = integer(env, "SLURM_PROCID", "SLURM");
      int localRank = env.containsKey("SLURM_LOCALID") ? integer(env, "SLURM_LOCALID", "SLURM") : 0;
      int localWorld = Math.max(localRank + 1, tasksPerNode(env));
      String[] hp = master(env, master, "SLURM");
      checkRank(rank, worldSize, "SLURM_PROCID", "SLURM_NTASKS");
      return Optional.of(new Rendezvous(rank, worldSize, localRank, localWorld, hp[0],
          port(hp[1], "MASTER_PORT " + hp[1]), false, "slurm", false));
    }
    return Optional.empty();
  }

  private static int tasksPerNode(Map<String, String> env) {
    String v = env.get("SLURM_NTASKS_PER_NODE");
    if (v == null) {
      return 1;
    }
    try {
      return Integer.parseInt(v.replaceAll("[^0-9].*$", ""));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static void checkRank(int rank, int worldSize, String rankName, String sizeName) {
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new InvalidInputException("The environment has " + rankName + "=" + rank + " and " + sizeName + "="
          + worldSize + "; expected 0 <= " + rankName + " < " + sizeName + ".");
    }
  }

  private static String[] master(Map<String, String> env, String master, String launcher) {
    if (master != null) {
      return hostPort(master, "--master");
    }
    String addr = env.get("MASTER_ADDR");
    String port = env.get("MASTER_PORT");
    if (addr == null || port == null) {
      throw new InvalidInputException("The " + launcher + " environment names no master: MASTER_ADDR is "
          + (addr == null ? "unset" : "'" + addr + "'") + " and MASTER_PORT is " + (port == null ? "unset" : "'" + port + "'")
          + "; set both (rank 0's host and a free port) or pass --master host:port.");
    }
    return new String[] {addr, port};
  }

  private static int integer(Map<String, String> env, String name, String launcher) {
    String v = env.get(name);
    if (v == null) {
      throw new InvalidInputException("The " + launcher + " environment lacks " + name
          + "; expected it beside the other rank variables.");
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("The environment variable " + name + " is '" + v + "'; expected an integer.", e);
    }
  }

  private static String[] hostPort(String master, String what) {
    if (master == null) {
      throw new InvalidInputException(what + " is missing; expected host:port (rank 0's host and a free port).");
    }
    int colon = master.lastIndexOf(':');
    if (colon <= 0 || colon == master.length() - 1) {
      throw new InvalidInputException(what + " is '" + master + "'; expected host:port, e.g. 10.0.0.1:29500.");
    }
    String host = master.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new String[] {host, master.substring(colon + 1)};
  }

  private static int port(String text, String what) {
    try {
      int p = Integer.parseInt(text.trim());
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("The master port in " + what + " is '" + text + "'; expected a port in [1, 65535].", e);
    }
  }

  /** {@code host:port} of the master. */
  public String master() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
