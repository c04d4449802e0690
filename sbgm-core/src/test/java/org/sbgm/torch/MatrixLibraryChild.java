package org.sbgm.torch;

import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A child JVM's main for {@link MatrixLibraryTest}: boots libtorch with two threads under whatever
 * {@code sbgm.blas} / {@code SBGM_BLAS} the test set, then prints the library in use, the file that
 * OpenBLAS's {@code sgemm_} resolves into, the thread count in effect, and the largest relative error of
 * a float32 product (torch.mm) against the same product summed in double precision here.
 */
public final class MatrixLibraryChild {
  private MatrixLibraryChild() {}

  public static void main(String[] args) {
    Torch.setThreads(2);
    System.out.println("library=" + Torch.matrixLibrary());
    System.out.println("sgemm=" + MatrixLibrary.mappedFile(Loader.addressof("sgemm_").address()));
    System.out.println("matrix=" + Torch.matrixThreads());
    int m = 97, k = 83, n = 71; // odd sizes: the kernels' edge cases too
    Random random = new Random(5);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) random.nextGaussian();
    }
    Tensor ta = torch.empty(m, k);
    new FloatPointer(ta.data_ptr()).put(a);
    Tensor tb = torch.empty(k, n);
    new FloatPointer(tb.data_ptr()).put(b);
    float[] c = new float[m * n];
    new FloatPointer(torch.mm(ta, tb).contiguous().data_ptr()).get(c);
    double worst = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double scale = 0;
        for (int l = 0; l < k; l++) {
          sum += (double) a[i * k + l] * b[l * n + j];
          scale += Math.abs((double) a[i * k + l] * b[l * n + j]);
        }
        worst = Math.max(worst, Math.abs(c[i * n + j] - sum) / scale);
      }
    }
    System.out.println("error=" + worst);
  }
}
