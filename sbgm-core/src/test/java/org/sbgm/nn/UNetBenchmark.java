package org.sbgm.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.torch.Torch;

/**
 * Rough timing of the reference U-Net (793,697 parameters) at batch 64, 1×28×28: forward alone and one
 * forward + backward + AdamW step on the ε-loss. Not a test; run with
 * {@code java -cp ... org.sbgm.nn.UNetBenchmark [cpu|cuda] [reps]}.
 */
public final class UNetBenchmark {
  private UNetBenchmark() {}

  public static void main(String[] args) {
    Torch.init();
    String device = args.length > 0 ? args[0] : "cpu";
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Device d = org.sbgm.torch.Device.resolve(device);
    UNet net = UNetConfig.reference().create(0);
    net.to(d, false);
    AdamW opt = new AdamW(net.parameters(), new AdamWOptions(2e-4));
    Generator g = Torch.generator(1);
    Tensor x = NetworkChecks.randn(g, 64, 1, 28, 28).to(d, torch.ScalarType.Float);
    Tensor t = NetworkChecks.times(g, 64).to(d, torch.ScalarType.Float);
    Tensor z = NetworkChecks.randn(g, 64, 1, 28, 28).to(d, torch.ScalarType.Float);
    x.retainReference();
    t.retainReference();
    z.retainReference();
    double[] forward = new double[reps];
    double[] step = new double[reps];
    for (int r = -1; r < reps; r++) {
      try (PointerScope s = new PointerScope()) {
        long t0 = System.nanoTime();
        Tensor out;
        try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
          out = net.forward(x, t, null, null);
          out.sum().item_double();
        }
        long t1 = System.nanoTime();
        opt.zero_grad();
        Tensor loss = net.forward(x, t, null, null).sub(z).pow(Torch.scalar(2)).mean();
        loss.backward();
        opt.step();
        loss.item_double();
        long t2 = System.nanoTime();
        if (r >= 0) {
          forward[r] = (t1 - t0) / 1e6;
          step[r] = (t2 - t1) / 1e6;
        }
      }
    }
    java.util.Arrays.sort(forward);
    java.util.Arrays.sort(step);
    System.out.printf("unet-reference params=%d device=%s threads=%d batch=64: forward %.1f ms, forward+backward+AdamW %.1f ms (median of %d)%n",
        Networks.parameterCount(net), device, Torch.threads(), forward[reps / 2], step[reps / 2], reps);
  }
}
