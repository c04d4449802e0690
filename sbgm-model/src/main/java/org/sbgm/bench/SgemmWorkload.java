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
    return String.format(Locale.ROOT, "(torch mm of two %dx%d float32 matrices, 2n^3 FLOPs; OpenBLAS: %s)", n, n,
        Torch.matrixLibrary());
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
