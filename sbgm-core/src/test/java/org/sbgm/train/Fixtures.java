package org.sbgm.train;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Shared test data and models. */
final class Fixtures {
  private Fixtures() {}

  /** {@code n} points of a 2-D mixture of four Gaussians at (±1.5, ±1.5) with std 0.3 (float32, retained). */
  static Tensor mixture(int n, long seed) {
    Generator g = Torch.generator(seed);
    double[] z = Torch.toDoubles(Torch.randn(new long[] {n, 2}, g, Torch.options(DType.FLOAT64)));
    g.close();
    double[] x = new double[2 * n];
    for (int i = 0; i < n; i++) {
      int mode = i % 4;
      x[2 * i] = (mode % 2 == 0 ? 1.5 : -1.5) + 0.3 * z[2 * i];
      x[2 * i + 1] = (mode / 2 == 0 ? 1.5 : -1.5) + 0.3 * z[2 * i + 1];
    }
    Tensor t = Torch.tensor(x, DType.FLOAT32, n, 2);
    t.retainReference();
    return t;
  }

  /** A fresh ε-prediction MLP model under the test VP SDE, initialised from the global seed {@code init}. */
  static ScoreModel model(long init, int width) {
    torch.manual_seed(init);
    return new ScoreModel(new TinyMlp(2, width), new TestVpSde());
  }
}
