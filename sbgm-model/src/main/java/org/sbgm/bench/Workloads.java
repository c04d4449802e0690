package org.sbgm.bench;

import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.data.Toy;
import org.sbgm.likelihood.Divergence;
import org.sbgm.nn.MlpConfig;
import org.sbgm.nn.UNetConfig;
import org.sbgm.solve.PidController;
import org.sbgm.torch.DType;
import org.sbgm.torch.Precision;
import org.sbgm.torch.Torch;

/**
 * The workloads of {@code shared/peer/reference.py}, with its names, sizes, solver settings, repetition
 * and warm-up counts, plus the sgemm calibration. Each is built from the library's own classes.
 */
public final class Workloads {
  /** The reference MLP's parameter count. */
  public static final long MLP_PARAMETERS = 141_058;
  /** The reference U-Net's parameter count. */
  public static final long UNET_PARAMETERS = 793_697;
  /** The sgemm calibration's matrix size. */
  public static final long SGEMM_SIZE = 2048;

  static final String TRAIN_NOTE = "(one DSM step: sample t,z; forward; backward; AdamW)";
  static final String UNET_NOTE = "(one DSM step at batch 64, 1x28x28)";
  static final String TRAIN_BF16_NOTE = "(one DSM step, forward and loss under bfloat16 autocast)";
  static final String UNET_BF16_NOTE = "(unet-train-64 with bfloat16 autocast of forward and loss)";
  static final String SAMPLE_NOTE = "(4096 samples, PF-ODE, RK4 x 50 steps = 200 NFE)";
  static final String LOGLIK_NOTE = "(log p of 4096 points, RK4 x 50 steps)";

  /**
   * A workload's name, its timed repetitions and its untimed warm-up runs (the reference's counts).
   *
   * @param name the name
   * @param reps timed repetitions (the median is reported)
   * @param warmup untimed runs first
   */
  public record Spec(String name, int reps, int warmup) {}

  /** Every workload, in the order they run (the sgemm calibration just before the U-Net). */
  public static final List<Spec> ALL = List.of(
      new Spec("mlp-train-256", 200, 20),
      new Spec("mlp-train-4096", 30, 20),
      new Spec("mlp-train-256-bf16", 200, 20),
      new Spec("mlp-train-4096-bf16", 30, 20),
      new Spec("sgemm-" + SGEMM_SIZE, 10, 2),
      new Spec("unet-train-64", 10, 3),
      new Spec("unet-train-64-bf16", 10, 3),
      new Spec("ode-sample-mlp", 5, 1),
      new Spec("loglik-hutchinson-mlp", 3, 1),
      new Spec("loglik-exact-mlp", 3, 1),
      new Spec("loglik-adaptive-mlp", 3, 1),
      new Spec("loglik-adaptive-mlp-5e-5", 3, 1),
      new Spec("loglik-adaptive-oracle", 3, 1),
      new Spec("loglik-adaptive-oracle-exact", 3, 1),
      new Spec("loglik-adaptive-mlp-rms", 3, 1),
      new Spec("loglik-adaptive-oracle-exact-rms", 3, 1));

  private Workloads() {}

  /** The spec named {@code name}, if any. */
  public static Optional<Spec> spec(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The names of every workload. */
  public static List<String> names() {
    return ALL.stream().map(Spec::name).toList();
  }

  /**
   * Builds the workload {@code name} (untimed: model, optimiser, data); {@code runs} is the number of
   * times it will be run (training workloads size their trainer for it).
   */
  public static Workload create(String name, long runs) {
    // No pointer scope here: the trainer's optimiser and parameter list must outlive this call.
    Torch.init();
    Generator data = Torch.generator(1);
    switch (name) {
      case "mlp-train-256":
      case "mlp-train-4096": {
        long b = Long.parseLong(name.substring("mlp-train-".length()));
        return new TrainWorkload(name, TRAIN_NOTE, MlpConfig.reference().create(0), Toy.eightGaussians(b, data),
            1e-3, runs);
      }
      case "mlp-train-256-bf16":
      case "mlp-train-4096-bf16": {
        long b = Long.parseLong(name.substring("mlp-train-".length(), name.length() - "-bf16".length()));
        return new TrainWorkload(name, TRAIN_BF16_NOTE, MlpConfig.reference().create(0), Toy.eightGaussians(b, data),
            1e-3, runs, Precision.BF16);
      }
      case "unet-train-64": {
        Tensor x = Torch.rand(new long[] {64, 1, 28, 28}, data, Torch.options(DType.FLOAT32))
            .mul(Torch.scalar(2)).sub(Torch.scalar(1));
        return new TrainWorkload(name, UNET_NOTE, UNetConfig.reference().create(0), x, 2e-4, runs, Precision.FP32);
      }
      case "unet-train-64-bf16": {
        Tensor x = Torch.rand(new long[] {64, 1, 28, 28}, data, Torch.options(DType.FLOAT32))
            .mul(Torch.scalar(2)).sub(Torch.scalar(1));
        return new TrainWorkload(name, UNET_BF16_NOTE, UNetConfig.reference().create(0), x, 2e-4, runs, Precision.BF16);
      }
      case "loglik-adaptive-mlp":
        // seed 1 and its own data generator: the NFE must not depend on what ran before (as in the reference)
        return AdaptiveLoglikWorkload.mlp(name, MlpConfig.reference().create(1), Toy.eightGaussians(4096, data),
            AdaptiveLoglikWorkload.TOLERANCE, PidController.Norm.PER_SAMPLE_MAX);
      case "loglik-adaptive-mlp-rms":
        // the same with scipy's error norm (one RMS over the flattened batch): the peer's algorithm, step for step
        return AdaptiveLoglikWorkload.mlp(name, MlpConfig.reference().create(1), Toy.eightGaussians(4096, data),
            AdaptiveLoglikWorkload.TOLERANCE, PidController.Norm.WHOLE_STATE_RMS);
      case "loglik-adaptive-mlp-5e-5":
        // the tolerance at which the oracle's error is no larger than scipy's at 1e-5 (the solver's norm is
        // the per-sample maximum, stricter than scipy's RMS over the flattened batch)
        return AdaptiveLoglikWorkload.mlp(name, MlpConfig.reference().create(1), Toy.eightGaussians(4096, data), 5e-5,
            PidController.Norm.PER_SAMPLE_MAX);
      case "loglik-adaptive-oracle":
        return AdaptiveLoglikWorkload.oracle(name, Toy.eightGaussians(4096, data), Divergence.hutchinson(1),
            "1 Rademacher probe", PidController.Norm.PER_SAMPLE_MAX);
      case "loglik-adaptive-oracle-exact":
        return AdaptiveLoglikWorkload.oracle(name, Toy.eightGaussians(4096, data), Divergence.exact(),
            "exact divergence", PidController.Norm.PER_SAMPLE_MAX);
      case "loglik-adaptive-oracle-exact-rms":
        return AdaptiveLoglikWorkload.oracle(name, Toy.eightGaussians(4096, data), Divergence.exact(),
            "exact divergence", PidController.Norm.WHOLE_STATE_RMS);
      case "ode-sample-mlp":
        return new SampleWorkload(name, SAMPLE_NOTE, MlpConfig.reference().create(0), 4096, 2, 50);
      case "loglik-hutchinson-mlp":
        return new LoglikWorkload(name, LOGLIK_NOTE, MlpConfig.reference().create(0), Toy.eightGaussians(4096, data),
            Divergence.hutchinson(1), 50);
      case "loglik-exact-mlp":
        return new LoglikWorkload(name, LOGLIK_NOTE, MlpConfig.reference().create(0), Toy.eightGaussians(4096, data),
            Divergence.exact(), 50);
      default:
        if (name.equals("sgemm-" + SGEMM_SIZE)) {
          return new SgemmWorkload(SGEMM_SIZE);
        }
        throw new org.sbgm.InvalidInputException("unknown workload '" + name + "'; expected one of " + names());
    }
  }
}
