package org.sbgm.torch;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single door to libtorch: an idempotent bootstrap and small tensor helpers.
 *
 * <p>{@link #init()} must run before any other torch class loads. It pre-extracts the natives from
 * the jars (a machine with a system libtorch otherwise crashes on a cold cache), disables JavaCPP's
 * physical-memory polling ({@code maxPhysicalBytes=0}, 2x cheaper per op) and sets the thread counts
 * of OpenBLAS and of torch's intra-op pool ({@link #setThreads}). Every public entry point of the library
 * calls it, so users rarely need to.
 */
public final class Torch {
  private static final Logger LOG = LoggerFactory.getLogger(Torch.class);
  private static final AtomicBoolean READY = new AtomicBoolean();
  private static volatile int threads;

  private Torch() {}

  /** Boots libtorch once with the thread count from {@code sbgm.threads} or the available cores. */
  public static void init() {
    if (READY.get()) {
      return;
    }
    boot(defaultThreads(System.getProperty("sbgm.threads"), Runtime.getRuntime().availableProcessors()));
  }

  /** The thread count the system property {@code sbgm.threads} ({@code property}, null when unset) asks for, else {@code cores}. */
  static int defaultThreads(String property, int cores) {
    if (property == null) {
      return cores;
    }
    try {
      int n = Integer.parseInt(property.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException("the system property sbgm.threads must be a whole number of at least 1, got '" + property + "'");
  }

  /**
   * Boots libtorch once with {@code n} threads; a no-op when it is already up. {@link #setThreads} boots
   * through here, so a count set before anything else ran is the one in effect (booting first with the
   * default pinned OpenBLAS to one thread and then skipped the unchanged count).
   */
  private static void boot(int n) {
    if (READY.get()) {
      return;
    }
    synchronized (Torch.class) {
      if (READY.get()) {
        return;
      }
      if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
        System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
      }
      try {
        Loader.cacheResources(Tensor.class, "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
      } catch (Exception e) {
        throw new IllegalStateException("Could not extract the libtorch natives from the jar: " + e.getMessage(), e);
      }
      java.nio.file.Path blas = MatrixLibrary.preload(MatrixLibrary.setting());
      Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
      MatrixLibrary.verify(blas);
      org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(1);
      Loader.load(torch.class);
      raiseAllocatorThresholds();
      apply(n);
      READY.set(true);
      if (blas != null) {
        LOG.info("matrix products run in the OpenBLAS at {} (sbgm.blas), not the bundled one", MatrixLibrary.inUse());
      }
      LOG.debug("libtorch ready with {} intra-op threads", threads);
    }
  }

  /** The largest block glibc lets its dynamic mmap threshold follow (DEFAULT_MMAP_THRESHOLD_MAX, 64-bit). */
  private static final long GLIBC_MMAP_THRESHOLD_MAX = 32L << 20;

  /**
   * Makes glibc's malloc keep activation-sized buffers instead of handing them back to the kernel after
   * every step. glibc serves blocks above its mmap threshold (128 KiB at start) by fresh mappings and
   * trims free heap tops above twice that threshold, so each training or solver step of a 4096-row
   * batch re-faulted tens of megabytes of zeroed pages (350 000 minor faults in 50 MLP steps). Freeing
   * one mapped block raises both thresholds to its size (mallopt(3), "dynamic mmap threshold"), so we
   * allocate and free a block just under the 32 MiB cap once: blocks below 31 MiB then come from the
   * heap, and up to 62 MiB of free heap is kept for reuse.
   */
  private static void raiseAllocatorThresholds() {
    if (!Loader.getPlatform().startsWith("linux")) {
      return;
    }
    org.bytedeco.javacpp.Pointer block = org.bytedeco.javacpp.Pointer.malloc(GLIBC_MMAP_THRESHOLD_MAX - (1L << 20));
    if (block != null && !block.isNull()) {
      org.bytedeco.javacpp.Pointer.free(block);
    }
  }

  /**
   * Sets the thread count {@code n} of this process's tensor work: OpenBLAS's (libtorch's matrix products run
   * in OpenBLAS; leaving it at one thread made two-thread MLP steps slower than one-thread ones, 6.6 ms
   * against 4.1 ms at batch 256) and libtorch's intra-op OpenMP threads (element-wise operations,
   * convolutions).
   *
   * <p>libtorch's OpenMP runtime reads {@code OMP_WAIT_POLICY} once, when the natives load. Unless it is
   * set, its idle threads spin between operations and take the cores from OpenBLAS's threads: with both
   * at two threads on two cores an MLP step at batch 256 took 64 ms instead of 5.7 ms under
   * {@code PASSIVE}, and 200 ODE evaluations of 4096 samples 31 s instead of 2.3 s. So without the
   * variable, libtorch's own operations run on one thread and only the matrix products on {@code n}
   * (the same MLP step 3.4–5.7 ms, the ODE 2.2–2.5 s; a U-Net step, whose convolutions are libtorch's,
   * 1.3–1.5 s against 0.9–1.0 s with both on two passive threads), with a one-line notice; with
   * {@code OMP_WAIT_POLICY} set (the {@code sbgm} launcher sets {@code PASSIVE}), both use {@code n}.
   *
   * <p>At most the available processors are used ({@code Runtime.availableProcessors()}); a larger count is lowered
   * to it with a one-line warning. Boots libtorch first when nothing has yet (with {@code n}, so a count set first thing holds). Synchronized, and
   * a no-op when the count is already {@code n}: OpenBLAS rebuilds its thread pool
   * and buffers when the count changes, and two threads doing that at once (two ranks of a test in one
   * JVM joining their groups) corrupted the native heap.
   */
  public static void setThreads(int n) {
    boot(n);
    apply(n);
  }

  private static synchronized void apply(int asked) {
    if (asked < 1) {
      throw new InvalidInputException("threads must be at least 1, got " + asked);
    }
    int n = clampThreads(asked, Runtime.getRuntime().availableProcessors());
    if (n < asked && n != threads) {
      LOG.warn("{} threads were asked for, but this machine has {} cores; using {}", asked, n, n);
    }
    if (n == threads) {
      return;
    }
    int intraOp = intraOpThreads(n, System.getenv("OMP_WAIT_POLICY"));
    if (intraOp < n && !spinNoticeGiven) {
      spinNoticeGiven = true;
      LOG.info("OMP_WAIT_POLICY is not set, so libtorch's idle OpenMP threads would spin and slow {} threads down "
          + "many times; running matrix products on {} threads and libtorch's other operations on 1 "
          + "(export OMP_WAIT_POLICY=PASSIVE before starting Java, as the sbgm launcher does, for {} in both).", n, n, n);
    }
    torch.set_num_threads(intraOp);
    org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(n);
    threads = n;
  }

  private static boolean spinNoticeGiven;

  /**
   * The thread count used for {@code asked} threads on {@code cores} cores: at most the cores. More threads than
   * cores only wait on each other, and a count in the thousands (a typo) made libtorch start that many OpenMP
   * threads (5000 threads for {@code --threads 100000}, a load average of 400).
   */
  static int clampThreads(int asked, int cores) {
    return Math.min(asked, Math.max(1, cores));
  }

  /**
   * libtorch's intra-op thread count for {@code n} threads under the environment's {@code OMP_WAIT_POLICY}
   * ({@code waitPolicy}, null when unset): {@code n} when the policy is set, else 1 (see {@link #setThreads}).
   */
  static int intraOpThreads(int n, String waitPolicy) {
    return waitPolicy == null || waitPolicy.isBlank() ? 1 : n;
  }

  /** libtorch's intra-op (OpenMP) thread count now in effect. */
  public static int intraOpThreads() {
    init();
    return torch.get_num_threads();
  }

  /** OpenBLAS's thread count now in effect (libtorch's matrix products run on it). */
  public static int matrixThreads() {
    init();
    return org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads();
  }

  /**
   * The file of the OpenBLAS that runs libtorch's matrix products, or {@code "bundled"} for the one that
   * comes with the natives; another is chosen with the system property {@code sbgm.blas} (or the
   * environment variable {@code SBGM_BLAS}): {@code system} for the distribution's
   * {@code libopenblas.so.0}, or its path. Read once, when libtorch boots.
   */
  public static String matrixLibrary() {
    init();
    return MatrixLibrary.inUse();
  }

  /** The intra-op thread count last set. */
  public static int threads() {
    init();
    return threads;
  }

  /** A new CPU generator seeded with {@code seed}; give each stochastic API its own. */
  public static Generator generator(long seed) {
    init();
    Generator g = torch.make_generator_cpu(seed);
    g.retainReference();
    return g;
  }

  /** A scalar owned by the current scope. */
  public static Scalar scalar(double v) {
    return new Scalar(v);
  }

  /** Options for {@code dtype} on the CPU. */
  public static TensorOptions options(DType dtype) {
    return new TensorOptions(dtype.scalarType());
  }

  /** Options with the dtype and device of {@code like}. */
  public static TensorOptions optionsLike(Tensor like) {
    return like.options();
  }

  /** A tensor holding {@code data} with {@code shape} (C order). */
  public static Tensor tensor(double[] data, DType dtype, long... shape) {
    init();
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (n != data.length) {
      throw new InvalidInputException(
          "shape " + java.util.Arrays.toString(shape) + " holds " + n + " values, but " + data.length + " were given");
    }
    Tensor t = torch.empty(shape, options(DType.FLOAT64), new org.bytedeco.pytorch.MemoryFormatOptional());
    if (data.length > 0) { // an empty tensor has no storage to write to
      new DoublePointer(t.data_ptr()).put(data);
    }
    return dtype == DType.FLOAT64 ? t : t.to(dtype.scalarType());
  }

  /** A float64 tensor holding {@code data} with {@code shape}. */
  public static Tensor tensor(double[] data, long... shape) {
    return tensor(data, DType.FLOAT64, shape);
  }

  /** A scalar tensor ({@code [B]}-broadcastable) filled with {@code value} in the dtype/device of {@code like}. */
  public static Tensor full(long[] shape, double value, Tensor like) {
    return torch.full(shape, scalar(value), like.options());
  }

  /** A tensor shaped {@code shape} filled with {@code value}. */
  public static Tensor full(long[] shape, double value, TensorOptions options) {
    return torch.full(shape, scalar(value), options);
  }

  /**
   * A {@code [n]} tensor whose entries all equal {@code value}, in the dtype and device of {@code like}, as a
   * broadcast (stride-0) view of one element: the times of a batch that shares one time. Networks that
   * see a stride-0 t may compute the time features once for the batch; read-only (never write into it).
   */
  public static Tensor sharedTime(long n, double value, Tensor like) {
    return torch.full(new long[] {1}, scalar(value), like.options()).expand(n);
  }

  /** True when {@code t} ({@code [B]}, B &gt; 1) is one value broadcast over the batch (a stride-0 view). */
  public static boolean isSharedTime(Tensor t) {
    return t.dim() == 1 && t.size(0) > 1 && t.stride(0) == 0;
  }

  /** The values of {@code t} as a double array in C order. */
  public static double[] toDoubles(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Double).contiguous();
    double[] out = new double[(int) c.numel()];
    if (out.length > 0) { // an empty tensor has no storage to read
      new DoublePointer(c.data_ptr()).get(out);
    }
    return out;
  }

  /** The values of {@code t} as a float array in C order. */
  public static float[] toFloats(Tensor t) {
    Tensor c = t.detach().to(torch.ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    if (out.length > 0) {
      new FloatPointer(c.data_ptr()).get(out);
    }
    return out;
  }

  /** The shape of {@code t}. */
  public static long[] shape(Tensor t) {
    return t.sizes().vec().get();
  }

  /** Standard normal noise shaped {@code shape} from {@code g}. */
  public static Tensor randn(long[] shape, Generator g, TensorOptions options) {
    return torch.randn(shape, new GeneratorOptional(g), options);
  }

  /** Uniform [0, 1) noise shaped {@code shape} from {@code g}. */
  public static Tensor rand(long[] shape, Generator g, TensorOptions options) {
    return torch.rand(shape, new GeneratorOptional(g), options);
  }

  /** A random permutation of 0..n-1 (int64) from {@code g}. */
  public static Tensor randperm(long n, Generator g) {
    return torch.randperm(n, new GeneratorOptional(g), new TensorOptions(torch.ScalarType.Long));
  }

  /** Standard normal noise shaped like {@code like}. */
  public static Tensor randnLike(Tensor like, Generator g) {
    return randn(shape(like), g, like.options());
  }

  /** {@code t} viewed as {@code [B, 1, ..., 1]} so it broadcasts against {@code x} of rank {@code rank}. */
  public static Tensor perSample(Tensor t, long rank) {
    long[] s = new long[(int) rank];
    java.util.Arrays.fill(s, 1);
    s[0] = -1;
    return t.reshape(s);
  }

  /** Sum over every dimension but the first: {@code [B, ...] -> [B]}. */
  public static Tensor sumPerSample(Tensor x) {
    return x.reshape(x.size(0), -1).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
  }

  /** The number of values per sample: the product of every dimension but the first. */
  public static long perSampleSize(Tensor x) {
    return x.numel() / Math.max(1, x.size(0));
  }

  /** Keeps {@code t} alive past the current pointer scope (the caller owns it now). */
  public static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }

  /** The number of values per sample of a tensor shaped {@code shape}. */
  public static long perSampleSizeOf(long[] shape) {
    long n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /**
   * Hands a tensor the caller holds one reference to over to the innermost open pointer scope, if
   * any (it is then freed with that scope); with no scope open, the caller keeps ownership.
   */
  public static Tensor handToScope(Tensor t) {
    org.bytedeco.javacpp.PointerScope outer = org.bytedeco.javacpp.PointerScope.getInnerScope();
    if (outer != null) {
      outer.attach(t);
      t.releaseReference();
    }
    return t;
  }

  /** True when every value of {@code t} is finite. */
  public static boolean allFinite(Tensor t) {
    return torch.isfinite(t).all().item_bool();
  }
}
