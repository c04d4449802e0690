package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.data.TensorDataset;
import org.sbgm.nn.Network;
import org.sbgm.nn.UNetConfig;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Autocast;
import org.sbgm.torch.Bf16Support;
import org.sbgm.torch.Precision;
import org.sbgm.torch.Torch;

/**
 * bfloat16 training against float32 from the same start: the losses follow the float32 run closely but
 * not exactly (so autocast really ran), and weights, gradients, EMA and AdamW state stay float32. Where the
 * CPU has no native bfloat16 the same checks run with {@link Precision#BF16_EMULATED} (the same arithmetic,
 * emulated by libtorch), so they run on every machine.
 */
class MixedPrecisionTest {
  private static final int STEPS = 40;

  /** Native bfloat16 where the CPU has it, else the emulated one. */
  private static Precision bf16() {
    return Bf16Support.cpu().supported() ? Precision.BF16 : Precision.BF16_EMULATED;
  }

  private record Run(List<Double> losses, Trainer trainer) {}

  private static Run train(Precision precision) {
    Tensor data = Fixtures.mixture(512, 1);
    ScoreModel model = Fixtures.model(5, 32);
    TrainerConfig config = TrainerConfig.defaults(STEPS).withBatchSize(128).withLearningRate(3e-3, 5)
        .withPrecision(precision);
    Trainer trainer = new Trainer(model, config, new TensorDataset(data), null);
    List<Double> losses = new ArrayList<>();
    trainer.addListener(new TrainingListener() {
      @Override
      public void onStep(long step, double loss, double rate) {
        losses.add(loss);
      }
    });
    trainer.trainUntil(STEPS);
    return new Run(losses, trainer);
  }

  @Test
  void bfloat16TrainingFollowsFloat32WithFloat32State() {
    Run fp32 = train(Precision.FP32);
    Run bf16 = train(bf16());
    assertEquals(bf16(), bf16.trainer().precision());
    double maxStepDiff = 0;
    for (int i = 0; i < STEPS; i++) {
      double a = fp32.losses().get(i);
      double b = bf16.losses().get(i);
      maxStepDiff = Math.max(maxStepDiff, Math.abs(a - b) / a);
    }
    // autocast really ran: bfloat16 rounding changes every loss a little ...
    assertTrue(maxStepDiff > 1e-4, "bf16 losses equal the fp32 ones (max relative difference " + maxStepDiff + ")");
    // ... and the run follows the float32 one (mean of the last 10 losses within 5%)
    double a = fp32.losses().subList(STEPS - 10, STEPS).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double b = bf16.losses().subList(STEPS - 10, STEPS).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(Math.abs(a - b) / a < 0.05, "fp32 " + a + " against bf16 " + b);
    assertTrue(fp32.losses().get(0) > 1.3 * a, "training must make progress for the comparison to mean anything");
    // float32 weights, gradients, EMA and optimiser state
    TensorVector params = bf16.trainer().state().parameters();
    for (long i = 0; i < params.size(); i++) {
      assertEquals(torch.ScalarType.Float, params.get(i).scalar_type().intern());
      assertEquals(torch.ScalarType.Float, params.get(i).grad().scalar_type().intern());
    }
    for (Map.Entry<String, Tensor> e : bf16.trainer().ema().shadows().entrySet()) {
      assertEquals(torch.ScalarType.Float, e.getValue().scalar_type().intern(), e.getKey());
    }
    // the weights moved the same way: relative distance between the two runs' weights much below their motion
    double diff = 0;
    double norm = 0;
    TensorVector p32 = fp32.trainer().state().parameters();
    for (long i = 0; i < params.size(); i++) {
      diff += params.get(i).sub(p32.get(i)).square().sum().item_double();
      norm += p32.get(i).square().sum().item_double();
    }
    assertTrue(Math.sqrt(diff / norm) < 0.05, "relative weight distance " + Math.sqrt(diff / norm));
  }

  @Test
  void theUNetNormalisesInFloat32UnderAutocast() {
    Torch.init();
    Network unet = UNetConfig.reference().create(0);
    Tensor x = torch.randn(2, 1, 28, 28);
    Tensor t = torch.full(new long[] {2}, Torch.scalar(0.5));
    Tensor fp32 = unet.forward(x, t, null, null);
    Tensor bf16;
    try (Autocast a = Autocast.of(bf16(), new Device(torch.DeviceType.CPU))) {
      bf16 = unet.forward(x, t, null, null);
    }
    assertEquals(torch.ScalarType.BFloat16, bf16.scalar_type().intern(), "the last convolution runs in bfloat16");
    double rel = Math.sqrt(bf16.to(torch.ScalarType.Float).sub(fp32).square().sum().item_double()
        / fp32.square().sum().item_double());
    assertTrue(rel > 0 && rel < 0.05, "relative difference of the U-Net outputs " + rel);
  }

  @Test
  void thePrecisionIsPartOfTheCheckpointedConfiguration() {
    TrainerConfig c = TrainerConfig.defaults(5).withPrecision(Precision.BF16);
    assertEquals("bf16", c.toMap().get("precision"));
    assertEquals(c, TrainerConfig.fromMap(c.toMap(), Weighting::parse));
    Map<String, String> old = new java.util.LinkedHashMap<>(TrainerConfig.defaults(5).toMap());
    old.remove("precision");
    assertEquals(Precision.FP32, TrainerConfig.fromMap(old, Weighting::parse).precision());
  }
}
