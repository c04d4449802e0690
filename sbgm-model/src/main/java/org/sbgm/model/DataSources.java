package org.sbgm.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.config.DataSpec;
import org.sbgm.config.FileDataSpec;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.config.ToyDataSpec;
import org.sbgm.data.DataFiles;
import org.sbgm.data.Datasets;
import org.sbgm.data.GaussianRandomField;
import org.sbgm.data.Toy;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Reads or generates the samples a {@link DataSpec} describes; every problem is a {@link InvalidInputException} naming the source. */
public final class DataSources {
  private DataSources() {}

  /** The data of {@code spec} (file paths must already be resolved). */
  public static LoadedData load(DataSpec spec) {
    Torch.init();
    if (spec instanceof ToyDataSpec toy) {
      return toy(toy);
    }
    if (spec instanceof GrfDataSpec grf) {
      return grf(grf);
    }
    return file((FileDataSpec) spec);
  }

  static LoadedData toy(ToyDataSpec spec) {
    Generator g = Torch.generator(spec.seed());
    try {
      Tensor x = switch (spec.name()) {
        case "eight-gaussians" -> Toy.eightGaussians(spec.n(), g);
        case "moons" -> Toy.twoMoons(spec.n(), g);
        case "swiss-roll" -> Toy.swissRoll(spec.n(), g);
        default -> Toy.checkerboard(spec.n(), g);
      };
      return new LoadedData(Torch.retain(x), null, false, "toy data " + spec.name());
    } finally {
      g.close();
    }
  }

  static LoadedData grf(GrfDataSpec spec) {
    GaussianRandomField field = new GaussianRandomField(new GaussianRandomField.Config(spec.size(),
        spec.amplitude().get(0), spec.amplitude().get(1), spec.exponent().get(0), spec.exponent().get(1),
        spec.zeroModeVariance()));
    Generator g = Torch.generator(spec.seed());
    try {
      GaussianRandomField.Fields f = field.sample(spec.n(), g, DType.FLOAT32);
      return new LoadedData(Torch.retain(f.fields()), Torch.retain(f.parameters()), false,
          "Gaussian random fields " + spec.size() + "x" + spec.size());
    } finally {
      g.close();
    }
  }

  static LoadedData file(FileDataSpec spec) {
    return fromTensor(read(spec), spec.limit(), "data file '" + spec.path() + "'");
  }

  /**
   * The array of a data file or PNG folder as stored (no limit applied, no conversion): .npy, .npz (the
   * array {@code spec.array()}, or its only array), .csv, IDX (gzip or not) or a folder of PNGs.
   */
  public static Tensor read(FileDataSpec spec) {
    Path path = Path.of(spec.path());
    if (!Files.exists(path)) {
      throw new InvalidInputException("data file '" + path + "' does not exist");
    }
    return DataFiles.read(path, spec.detectedFormat(), spec.array());
  }

  /**
   * Samples from an array: uint8 arrays of rank 3 ([N, H, W]) or 4 ([N, C, H, W]) are 8-bit images,
   * everything else becomes float32 ([N, D] vectors, [N, H, W] single-channel fields or [N, C, H, W]).
   */
  public static LoadedData fromTensor(Tensor raw, Long limit, String source) {
    long[] shape = Torch.shape(raw);
    if (shape.length < 2 || shape.length > 4) {
      throw new InvalidInputException(source + " holds an array of shape " + Arrays.toString(shape)
          + "; expected [N, D] vectors or [N, H, W] / [N, C, H, W] images");
    }
    if (shape[0] < 2) {
      throw new InvalidInputException(source + " holds " + shape[0] + " sample(s); training needs at least 2");
    }
    Tensor x = raw;
    if (limit != null && limit < shape[0]) {
      x = x.narrow(0, 0, limit);
    }
    if (x.dim() == 3) {
      x = x.unsqueeze(1);
    }
    boolean eightBit = x.scalar_type().intern() == torch.ScalarType.Byte && x.dim() == 4;
    if (!eightBit) {
      x = x.to(torch.ScalarType.Float);
      Datasets.requireFinite(x, source);
    }
    return new LoadedData(Torch.retain(x.contiguous()), null, eightBit, source);
  }
}
