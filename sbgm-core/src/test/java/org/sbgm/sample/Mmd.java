package org.sbgm.sample;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * A kernel two-sample test (Gretton et al. 2012, JMLR 13): the unbiased MMD² with a Gaussian kernel of
 * median-heuristic bandwidth, and its p-value by permutation of the pooled sample. All permutations
 * are evaluated with one matrix product: for a 0/1 split vector a (b = 1 - a), with r = K1 and
 * S = 1ᵀK1, aᵀKa, aᵀKb = aᵀr - aᵀKa and bᵀKb = S - 2aᵀr + aᵀKa.
 */
final class Mmd {
  private Mmd() {}

  /** The permutation p-value of H0: x and y come from the same distribution. */
  static double pValue(Tensor x, Tensor y, int permutations, Generator g) {
    long n = x.size(0);
    long m = y.size(0);
    Tensor z = torch.cat(new TensorVector(x, y), 0);
    Tensor d2 = torch.cdist(z, z).square();
    double median = torch.median(d2.flatten()).item_double();
    Tensor k = d2.div(Torch.scalar(-median)).exp();
    Tensor splits = torch.zeros(new long[] {n + m, permutations + 1}, k.options());
    Tensor first = torch.cat(new TensorVector(torch.ones(new long[] {n}, k.options()),
        torch.zeros(new long[] {m}, k.options())), 0);
    splits.select(1, 0).copy_(first);
    TensorOptions longs = new TensorOptions(torch.ScalarType.Long);
    for (int i = 1; i <= permutations; i++) {
      splits.select(1, i).copy_(first.index_select(0, torch.randperm(n + m, new GeneratorOptional(g), longs)));
    }
    Tensor ka = k.mm(splits);
    double[] aKa = Torch.toDoubles(splits.mul(ka).sum(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
    double[] aR = Torch.toDoubles(splits.t().matmul(k.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())));
    double total = k.sum().item_double();
    double[] stat = new double[permutations + 1];
    for (int i = 0; i <= permutations; i++) {
      double kxx = aKa[i] - n;
      double kyy = total - 2 * aR[i] + aKa[i] - m;
      double kxy = aR[i] - aKa[i];
      stat[i] = kxx / (n * (n - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / (n * (double) m);
    }
    int atLeast = 0;
    for (int i = 1; i <= permutations; i++) {
      if (stat[i] >= stat[0]) {
        atLeast++;
      }
    }
    return (atLeast + 1.0) / (permutations + 1.0);
  }
}
