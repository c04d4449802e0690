package org.sbgm.distributed;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllgatherOptions;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BarrierOptions;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.IntOptional;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Group} on libtorch's c10d: a {@code TCPStore} served by rank 0 for the rendezvous, and a
 * process group on it, Gloo for CPU tensors or NCCL for CUDA ones.
 *
 * <p>Start-up: rank 0 opens the store's listening socket itself (bound to 127.0.0.1 for ranks of one
 * machine, to the master address otherwise) and hands its descriptor to the store, so a port in use
 * or an address that is not this machine's is one sentence; the other ranks connect within the
 * timeout or fail naming the master. Each rank then runs libtorch (and OpenBLAS) on its share of the
 * cores: cores / ranks-per-machine threads, unless {@code sbgm.threads} is set.
 *
 * <p>Failure: every collective waits at most the timeout. Each rank bumps a heartbeat counter in the
 * store every {@value #HEARTBEAT_MS} ms; when a collective fails or times out, the counters are read
 * twice and the ranks whose counter stood still are named in the {@link DistributedException}
 * ("rank 1 died", or "rank 1 stalled" after a timeout). The group is then unusable (c10d cannot recover
 * a group that lost a peer); the run must start again, e.g. from its checkpoint.
 *
 * <p>Security: c10d has no authentication (nor has torchrun); anyone who can reach the store port can
 * join or disturb a run. Keep multi-machine runs inside a trusted network.
 */
public final class C10dGroup implements Group {
  private static final Logger LOG = LoggerFactory.getLogger(C10dGroup.class);
  /** Heartbeat period. */
  static final long HEARTBEAT_MS = 500;
  /** Gradients are flattened into buckets of at most this many bytes for one allreduce each. */
  static final long BUCKET_BYTES = 4L << 20;

  private final Rendezvous rendezvous;
  private final long timeoutMs;
  private final boolean cuda;
  private final String backendName;
  private final ServerSocketChannel listener;
  private final TCPStore store;
  private final Store probeStore;
  private final Backend backend;
  private final Thread heartbeat;
  private volatile boolean closed;
  private boolean broken;
  private long collectiveNanos;

  private C10dGroup(Rendezvous r, Duration timeout, boolean cuda) {
    this.rendezvous = r;
    this.timeoutMs = timeout.toMillis();
    this.cuda = cuda;
    this.backendName = cuda ? "nccl" : "gloo";
    this.listener = r.rank() == 0 && !r.externalStore() ? listen(r) : null;
    this.store = openStore(r, listener, timeoutMs);
    this.store.retainReference();
    this.probeStore = store.clone();
    probeStore.retainReference();
    probeStore.setTimeout(new Milliseconds(Math.min(timeoutMs, 5000)));
    Store beatStore = store.clone();
    beatStore.retainReference();
    beatStore.setTimeout(new Milliseconds(Math.min(timeoutMs, 5000)));
    // in a store someone else serves (torchrun's agent), keep this group's keys apart from its and from a restart's
    Store groupStore = store;
    if (r.externalStore()) {
      groupStore = new PrefixStore("sbgm/" + System.getenv().getOrDefault("TORCHELASTIC_RESTART_COUNT", "0"), store);
      groupStore.retainReference();
    }
    try {
      this.backend = cuda ? NcclBackend.create(groupStore, r, timeoutMs) : gloo(groupStore, r, timeoutMs);
    } catch (RuntimeException e) {
      throw new DistributedException("Rank " + r.rank() + " could not form the " + backendName
          + " process group with the master " + r.master() + " within " + timeout.toSeconds() + " s: " + firstLine(e), e);
    }
    backend.retainReference();
    String key = beatKey(r.rank());
    this.heartbeat = new Thread(() -> beat(beatStore, key), "sbgm-heartbeat-" + r.rank());
    heartbeat.setDaemon(true);
    heartbeat.start();
    LOG.debug("rank {} of {} joined the {} group at {}", r.rank(), r.worldSize(), backendName, r.master());
  }

  /**
   * Joins the group described by {@code r}; returns once every rank has joined. {@code cuda} picks
   * NCCL (the rank's tensors live on CUDA device {@code localRank}) instead of Gloo.
   */
  public static C10dGroup connect(Rendezvous r, Duration timeout, boolean cuda) {
    Torch.init();
    if (!(timeout.toMillis() > 0)) {
      throw new InvalidInputException("The distributed timeout is " + timeout.toSeconds() + " s; expected a positive duration.");
    }
    quietLogging();
    if (System.getProperty("sbgm.threads") == null) {
      Torch.setThreads(r.threadsPerRank());
    }
    C10dGroup g = new C10dGroup(r, timeout, cuda);
    g.barrier();
    return g;
  }

  /**
   * c10d logs every connection attempt and failure to stderr; the exception this group throws says it
   * in one line. TORCH_CPP_LOG_LEVEL, when the user set it, wins.
   */
  private static void quietLogging() {
    torch.set_env("TORCH_CPP_LOG_LEVEL", "FATAL", false);
    torch.initLogging();
  }

  private static ServerSocketChannel listen(Rendezvous r) {
    String bindHost = r.loopbackOnly() ? "127.0.0.1" : r.host();
    ServerSocketChannel ch = null;
    try {
      ch = ServerSocketChannel.open();
      ch.bind(new InetSocketAddress(bindHost, r.port()), Math.max(64, 2 * r.worldSize()));
      return ch;
    } catch (BindException e) {
      close(ch);
      String m = String.valueOf(e.getMessage());
      if (m.contains("in use")) {
        throw new InvalidInputException("Port " + r.port() + " on " + bindHost + " is in use; choose another master port"
            + " (--master host:port or MASTER_PORT).");
      }
      throw new InvalidInputException("Rank 0 cannot listen on " + bindHost + ":" + r.port() + " (" + m
          + "); the master address must be an address of the machine that runs rank 0.");
    } catch (IOException | RuntimeException e) {
      close(ch);
      throw new InvalidInputException("Rank 0 cannot listen on " + bindHost + ":" + r.port() + " (" + e.getMessage()
          + "); check the master address and port.");
    }
  }

  private static void close(ServerSocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to keep
      }
    }
  }

  /** The descriptor of {@code ch} (needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}). */
  private static int descriptor(ServerSocketChannel ch) {
    try {
      Class<?> sel = Class.forName("sun.nio.ch.SelChImpl");
      return (Integer) sel.getMethod("getFDVal").invoke(ch);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read the descriptor of the store socket; run java with "
          + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED (the sbgm launcher does)", e);
    }
  }

  private static TCPStore openStore(Rendezvous r, ServerSocketChannel listener, long timeoutMs) {
    TCPStoreOptions o = new TCPStoreOptions();
    o.retainReference();
    o.port((short) r.port());
    o.isServer(listener != null);
    o.numWorkers(new SizeTPointer(1).put(r.worldSize()));
    o.waitWorkers(false);
    o.timeout(new Milliseconds(timeoutMs));
    if (listener != null) {
      o.masterListenFd(new IntOptional(descriptor(listener)));
    }
    String host = listener != null && r.loopbackOnly() ? "127.0.0.1" : r.host();
    try {
      return new TCPStore(host, o);
    } catch (RuntimeException e) {
      if (listener != null) {
        throw new DistributedException("Rank 0 could not start the store on " + r.master() + ": " + firstLine(e), e);
      }
      throw new DistributedException("Rank " + r.rank() + " could not reach the master " + r.master() + " within "
          + timeoutMs / 1000 + " s; check that rank 0 runs there and that the port is open (" + firstLine(e) + ").", e);
    }
  }

  private static Backend gloo(Store store, Rendezvous r, long timeoutMs) {
    ProcessGroupGloo.Options options = new ProcessGroupGloo.Options(new Milliseconds(timeoutMs));
    options.retainReference();
    String iface = System.getenv("GLOO_SOCKET_IFNAME");
    if (r.loopbackOnly() || isLoopback(r.host())) {
      options.devices().push_back(ProcessGroupGloo.createDeviceForHostname("127.0.0.1"));
    } else if (iface != null && !iface.isBlank()) {
      options.devices().push_back(ProcessGroupGloo.createDeviceForInterface(iface.split(",")[0]));
    } else {
      options.devices().push_back(ProcessGroupGloo.createDefaultDevice());
    }
    options.threads(2);
    return new ProcessGroupGloo(store, r.rank(), r.worldSize(), options);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static String beatKey(int rank) {
    return "sbgm/heartbeat/" + rank;
  }

  private void beat(Store s, String key) {
    while (!closed) {
      try {
        s.add(key, 1);
      } catch (RuntimeException e) {
        // the master is gone or busy; the next collective will say so
      }
      try {
        Thread.sleep(HEARTBEAT_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public int rank() {
    return rendezvous.rank();
  }

  @Override
  public int worldSize() {
    return rendezvous.worldSize();
  }

  @Override
  public String backend() {
    return backendName;
  }

  /** How the ranks met. */
  public Rendezvous rendezvous() {
    return rendezvous;
  }

  /** The collective timeout. */
  public Duration timeout() {
    return Duration.ofMillis(timeoutMs);
  }

  @Override
  public void allreduceSum(List<Tensor> tensors) {
    if (tensors.isEmpty()) {
      return;
    }
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> bucket = new ArrayList<>();
      long bytes = 0;
      for (Tensor t : tensors) {
        long b = t.numel() * t.element_size();
        if (!bucket.isEmpty() && (bytes + b > BUCKET_BYTES || !sameKind(bucket.get(0), t))) {
          reduceBucket(bucket);
          bucket.clear();
          bytes = 0;
        }
        bucket.add(t);
        bytes += b;
      }
      reduceBucket(bucket);
    }
  }

  private static boolean sameKind(Tensor a, Tensor b) {
    return a.scalar_type().intern() == b.scalar_type().intern() && a.device().str().getString().equals(b.device().str().getString());
  }

  private void reduceBucket(List<Tensor> bucket) {
    if (bucket.size() == 1 && bucket.get(0).is_contiguous()) {
      allreduce(bucket.get(0), ReduceOp.RedOpType.SUM);
      return;
    }
    TensorVector flat = new TensorVector();
    for (Tensor t : bucket) {
      flat.push_back(t.reshape(-1));
    }
    Tensor joined = torch.cat(flat);
    allreduce(joined, ReduceOp.RedOpType.SUM);
    long offset = 0;
    for (Tensor t : bucket) {
      long n = t.numel();
      t.copy_(joined.narrow(0, offset, n).view_as(t));
      offset += n;
    }
  }

  private void allreduce(Tensor t, ReduceOp.RedOpType op) {
    TensorVector v = new TensorVector(t);
    AllreduceOptions o = new AllreduceOptions();
    o.reduceOp(new ReduceOp(op));
    o.timeout(new Milliseconds(timeoutMs));
    run("allreduce", () -> backend.allreduce(v, o));
  }

  @Override
  public double[] allreduceSum(double[] values) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = onDevice(Torch.tensor(values, DType.FLOAT64, values.length));
      allreduce(t, ReduceOp.RedOpType.SUM);
      return Torch.toDoubles(t.cpu());
    }
  }

  @Override
  public double allreduceMax(double value) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = onDevice(Torch.tensor(new double[] {value}, DType.FLOAT64, 1));
      allreduce(t, ReduceOp.RedOpType.MAX);
      return Torch.toDoubles(t.cpu())[0];
    }
  }

  private Tensor onDevice(Tensor cpu) {
    return cuda ? NcclBackend.toCuda(cpu, rendezvous.localRank()) : cpu;
  }

  @Override
  public void broadcast(List<Tensor> tensors, int root) {
    if (root < 0 || root >= worldSize()) {
      throw new IllegalArgumentException("root is " + root + "; expected a rank in [0, " + (worldSize() - 1) + "]");
    }
    try (PointerScope scope = new PointerScope()) {
      for (Tensor t : tensors) {
        Tensor c = t.is_contiguous() ? t : t.contiguous();
        TensorVector v = new TensorVector(c);
        BroadcastOptions o = new BroadcastOptions();
        o.rootRank(root);
        o.timeout(new Milliseconds(timeoutMs));
        run("broadcast", () -> backend.broadcast(v, o));
        if (c != t) {
          t.copy_(c);
        }
      }
    }
  }

  @Override
  public Tensor allgatherRows(Tensor rows) {
    if (cuda && !rows.is_cuda()) { // NCCL moves CUDA tensors only: gather there, hand back on the CPU
      Tensor back;
      try (PointerScope scope = new PointerScope()) {
        back = gatherRows(NcclBackend.toCuda(rows, rendezvous.localRank())).cpu();
        back.retainReference();
      }
      return Torch.handToScope(back);
    }
    return gatherRows(rows);
  }

  private Tensor gatherRows(Tensor rows) {
    int n = worldSize();
    double[] counts = new double[n];
    counts[rank()] = rows.size(0);
    counts = allreduceSum(counts);
    long max = 0;
    for (double c : counts) {
      max = Math.max(max, (long) c);
    }
    long[] shape = Torch.shape(rows);
    long[] padShape = shape.clone();
    padShape[0] = max;
    long[] allShape = shape.clone();
    allShape[0] = max * n;
    Tensor result;
    try (PointerScope scope = new PointerScope()) {
      if (max == 0) {
        result = rows.narrow(0, 0, 0).clone();
      } else {
        Tensor padded = Torch.full(padShape, 0.0, rows);
        if (rows.size(0) > 0) {
          padded.narrow(0, 0, rows.size(0)).copy_(rows);
        }
        Tensor all = Torch.full(allShape, 0.0, rows);
        AllgatherOptions o = new AllgatherOptions();
        o.timeout(new Milliseconds(timeoutMs));
        run("allgather", () -> backend._allgather_base(all, padded, o));
        TensorVector parts = new TensorVector();
        for (int r = 0; r < n; r++) {
          parts.push_back(all.narrow(0, r * max, (long) counts[r]));
        }
        result = torch.cat(parts);
      }
      result.retainReference();
    }
    return Torch.handToScope(result);
  }

  @Override
  public void barrier() {
    try (PointerScope scope = new PointerScope()) {
      BarrierOptions o = new BarrierOptions();
      o.timeout(new Milliseconds(timeoutMs));
      run("barrier", () -> backend.barrier(o));
    }
  }

  @Override
  public double collectiveSeconds() {
    return collectiveNanos / 1e9;
  }

  private void run(String what, Supplier<Work> op) {
    if (broken) {
      throw new DistributedException("This process group lost a peer earlier; the run must start again (resume from its checkpoint).");
    }
    if (closed) {
      throw new IllegalStateException("the process group is closed");
    }
    long t0 = System.nanoTime();
    boolean done;
    RuntimeException error = null;
    try {
      Work w = op.get();
      done = w._wait(new Milliseconds(timeoutMs));
    } catch (RuntimeException e) {
      done = false;
      error = e;
    } finally {
      collectiveNanos += System.nanoTime() - t0;
    }
    if (!done) {
      long waited = (System.nanoTime() - t0) / 1_000_000;
      boolean timedOut = waited >= timeoutMs * 9 / 10 || (error != null && isTimeout(error));
      throw diagnose(what, error, timedOut);
    }
  }

  private static boolean isTimeout(RuntimeException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return m.contains("timed out") || m.contains("timeout");
  }

  /** The one-line failure of a collective, naming the ranks whose heartbeat stopped. */
  private DistributedException diagnose(String what, RuntimeException error, boolean timedOut) {
    broken = true;
    List<Integer> silent = silentRanks();
    String seconds = (timeoutMs / 1000) + " s";
    String message;
    if (silent == null) {
      message = rendezvous.rank() == 0
          ? "The store of this run stopped answering during a " + what + " on rank 0."
          : "Rank 0 (the master at " + rendezvous.master() + ") " + (timedOut ? "stalled" : "died")
              + ": the " + what + " on rank " + rank() + " failed and the store no longer answers.";
    } else if (!silent.isEmpty()) {
      String who = silent.size() == 1 ? "Rank " + silent.get(0) : "Ranks " + silent;
      message = timedOut
          ? who + " stalled: no answer to the " + what + " within " + seconds + " and no heartbeat since (seen from rank " + rank() + ")."
          : who + " died: its connection closed during the " + what + " and its heartbeat stopped (seen from rank " + rank() + ").";
    } else {
      message = "The " + what + " failed on rank " + rank() + (timedOut ? " after " + seconds : "") + ": "
          + (error == null ? "timed out" : firstLine(error)) + ".";
    }
    return new DistributedException(message, error);
  }

  /** The ranks whose heartbeat did not move over a few periods, or null when the store cannot be reached. */
  private List<Integer> silentRanks() {
    int n = worldSize();
    long[] before = new long[n];
    try {
      for (int r = 0; r < n; r++) {
        before[r] = probeStore.add(beatKey(r), 0);
      }
      Thread.sleep(4 * HEARTBEAT_MS + 200);
      List<Integer> silent = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        if (r != rank() && probeStore.add(beatKey(r), 0) == before[r]) {
          silent.add(r);
        }
      }
      return silent;
    } catch (RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = m.lines().filter(s -> !s.isBlank()).findFirst().orElse(m).trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /**
   * Leaves the group: the heartbeat stops. No collective is made here, so a rank that fails with an
   * exception leaves at once instead of waiting in a barrier the others never reach; ranks that finished
   * their work call {@link #barrier()} first when they must leave together. The native handles are left
   * to the end of the process (a destructor may wait on a dead peer).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.interrupt();
  }
}
