package org.sbgm.bench;

import java.util.Locale;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * The machine's float32 matrix-multiply rate through libtorch: {@code torch::mm} of two n×n float32
 * matrices, 2n³ FLOPs, so that the U-Net step's achieved FLOP rate can be read against it.
 */
final class SgemmWorkload implements Workload {
  private final long n;
  private final Tensor a;
  private final Tensor b;

  SgemmWorkload(long n) {
    this.n = n;
    Generator g = Torch.generator(4);
    this.a = Torch.retain(Torch.randn(new long[] {n, n}, g, Torch.options(DType.FLOAT32)));
    this.b = Torch.retain(Torch.randn(new long[] {n, n}, g, Torch.options(DType.FLOAT32)));
  }

  @Override
  public String name() {
    return "sgemm-" + n;
  }

  @Override
  public long parameters() {
    return 0;
  }

  @Override
  public String note() {
    return String.format(Locale.ROOT, "(torch mm of two %dx%d float32 matrices, 2n^3 FLOPs; OpenBLAS: %s%s)", n, n,
        Torch.matrixLibrary(), coreType(System.getenv("OPENBLAS_CORETYPE")));
  }

  /**
   * The note's words for an {@code OPENBLAS_CORETYPE} in the environment, which overrides OpenBLAS's own choice of
   * kernels for this CPU (a preset {@code Haswell} on a Zen 4 held the 2048² product to AVX2 kernels, 1.7–1.9x
   * slower), so that a timing says which kernels ran; empty when unset.
   */
  static String coreType(String env) {
    return env == null || env.isBlank() ? "" : ", kernels forced by OPENBLAS_CORETYPE=" + env.strip();
  }

  /** The FLOPs of one product. */
  double flops() {
    return 2.0 * n * n * n;
  }

  @Override
  public void run() {
    torch.mm(a, b);
  }

  @Override
  public void close() {
    a.releaseReference();
    b.releaseReference();
  }
}
