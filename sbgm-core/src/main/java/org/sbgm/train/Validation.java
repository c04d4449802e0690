package org.sbgm.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.data.Dataset;
import org.sbgm.data.TensorDataset;
import org.sbgm.torch.Seeds;
import org.sbgm.torch.Torch;

/**
 * The validation loss of a run: the mean per-sample denoising score-matching loss over a held-out
 * set, with the EMA weights, the network in eval mode (no dropout, no condition dropout), and times,
 * loss factors and noise drawn once from the run's seed ({@link Seeds.Stream#VALIDATION}) for every
 * sample, so values are comparable across steps and between a straight and a resumed run. The set is
 * evaluated in consecutive chunks of max(batch size, 1024) samples, each in its own pointer scope.
 */
public final class Validation {
  private final Dataset data;
  private final DsmLoss loss;
  private final Tensor times;
  private final Tensor factors;
  private final Tensor noise;
  private final Tensor like;
  private final long chunk;

  /** Draws the fixed times and noise for {@code data} from {@code seed}, in the dtype and device of {@code like}. */
  Validation(DsmLoss loss, Dataset data, long seed, Tensor like, int batchSize) {
    this.loss = loss;
    this.data = data instanceof TensorDataset t ? t.toLike(like) : data;
    this.like = like;
    this.chunk = Math.max(batchSize, 1024);
    long n = data.size();
    long[] sample = data.sampleShape();
    long[] shape = new long[sample.length + 1];
    shape[0] = n;
    System.arraycopy(sample, 0, shape, 1, sample.length);
    Generator g = Seeds.generator(seed, Seeds.Stream.VALIDATION);
    try (PointerScope scope = new PointerScope()) {
      DsmLoss.Times draw = loss.draw(n, g, like);
      times = Torch.retain(draw.t());
      factors = draw.factor() == null ? null : Torch.retain(draw.factor());
      noise = Torch.retain(DsmLoss.noise(shape, like, g));
    } finally {
      g.close();
    }
  }

  /** The number of held-out samples. */
  public long size() {
    return data.size();
  }

  /** The validation loss of {@code state}'s model with its EMA weights (put back as they were afterwards). */
  public double loss(TrainingState state) {
    Module module = state.module();
    boolean swapped = state.useAveragedWeights();
    boolean wasTraining = module.is_training();
    module.eval();
    double sum = 0;
    long n = data.size();
    try (NoGradGuard ng = new NoGradGuard()) {
      for (long start = 0; start < n; start += chunk) {
        long len = Math.min(chunk, n - start);
        try (PointerScope scope = new PointerScope()) {
          long[] idx = new long[Math.toIntExact(len)];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = start + i;
          }
          Tensor x = DsmLoss.likeOf(data.batch(idx), like);
          Tensor f = factors == null ? null : factors.narrow(0, start, len);
          Tensor per = loss.perSample(x, DsmLoss.likeOf(data.condition(idx), like), times.narrow(0, start, len), f,
              noise.narrow(0, start, len));
          sum += per.to(torch.ScalarType.Double).sum().item_double();
        }
      }
    } finally {
      module.train(wasTraining);
      if (swapped) {
        state.useTrainedWeights();
      }
    }
    return sum / n;
  }
}
