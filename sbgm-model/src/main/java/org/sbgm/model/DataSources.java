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
    String source = "data file '" + spec.path() + "'" + (spec.array() == null ? "" : " (array '" + spec.array() + "')");
    Tensor raw = read(spec);
    LoadedData data = fromTensor(raw, spec.limit(), source);
    if (!spec.hasParameters() && !spec.hasImage()) {
      return data;
    }
    long rows = raw.size(0);
    Tensor parameters = null;
    Tensor image = null;
    if (spec.hasParameters()) {
      String where = describe("parameter", spec, spec.parametersPath(), spec.parameters());
      parameters = ConditionFiles.parameters(condition(spec, spec.parametersPath(), spec.parameters(), "parameters"), where,
          rows, source + " holds " + rows + " samples");
      parameters = Torch.retain(limit(parameters, spec.limit()));
    }
    if (spec.hasImage()) {
      String where = describe("image condition", spec, spec.imagePath(), spec.image());
      image = ConditionFiles.images(condition(spec, spec.imagePath(), spec.image(), "image"), where, rows,
          source + " holds " + rows + " samples");
      image = Torch.retain(limit(image, spec.limit()));
    }
    return new LoadedData(data.x(), parameters, image, data.eightBit(), data.description());
  }

  private static Tensor limit(Tensor t, Long limit) {
    return limit != null && limit < t.size(0) ? t.narrow(0, 0, limit).contiguous() : t;
  }

  /** "parameter file 'p.npy'" or "parameter array 'theta' of data file 'sims.npz'", for messages. */
  private static String describe(String what, FileDataSpec spec, String file, String array) {
    if (file != null) {
      return what + " file '" + file + "'" + (array == null ? "" : " (array '" + array + "')");
    }
    return what + " array '" + array + "' of data file '" + spec.path() + "'";
  }

  /** The array of a condition: from its own file, or an array of the data's .npz archive. */
  private static Tensor condition(FileDataSpec spec, String file, String array, String key) {
    if (file != null) {
      Path path = Path.of(file);
      if (!Files.exists(path)) {
        throw new InvalidInputException("data." + key + "Path '" + path + "' does not exist");
      }
      DataFiles.Format format = DataFiles.detect(path);
      if (array != null && format != DataFiles.Format.NPZ) {
        throw new InvalidInputException("data." + key + " ('" + array + "') names an array inside an .npz archive, but "
            + key + "Path '" + path + "' is read as " + format.label() + "; leave data." + key + " out");
      }
      return DataFiles.read(path, format, array);
    }
    if (spec.detectedFormat() != DataFiles.Format.NPZ) {
      throw new InvalidInputException("data." + key + " ('" + array + "') names an array of the data's .npz archive, but '"
          + spec.path() + "' is read as " + spec.detectedFormat().label() + "; give data." + key + "Path, a separate file");
    }
    return DataFiles.read(Path.of(spec.path()), DataFiles.Format.NPZ, array);
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
