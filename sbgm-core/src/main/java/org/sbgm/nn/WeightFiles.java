package org.sbgm.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npz;
import org.sbgm.io.SafeTensors;

/**
 * Network weights in the files Python reads and writes: safetensors ({@code .safetensors}, what
 * {@code safetensors.torch.save_file(model.state_dict(), path)} writes) and NumPy archives ({@code .npz},
 * one array per tensor, as {@code numpy.savez(path, **state_dict)} writes), named by {@link StateDict}.
 */
public final class WeightFiles {
  /** The file formats, by extension. */
  public enum Format {
    SAFETENSORS(".safetensors"),
    NPZ(".npz");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** The file extension, with its dot. */
    public String extension() {
      return extension;
    }

    /** The format of {@code file} by its extension. */
    public static Format of(Path file) {
      String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (name.endsWith(f.extension)) {
          return f;
        }
      }
      throw new InvalidInputException("weight file " + file + " is neither .safetensors nor .npz; expected one of those");
    }
  }

  private WeightFiles() {}

  /** Every tensor of a weight file by name (CPU tensors of the stored dtypes). */
  public static Map<String, Tensor> read(Path file) {
    Format format = Format.of(file);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("weight file " + file + " does not exist");
    }
    try {
      if (format == Format.SAFETENSORS) {
        return SafeTensors.read(file).tensors();
      }
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String name : Npz.names(file)) {
        out.put(name, Npz.readTensor(file, name));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the weight file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads the weights in {@code file} into {@code network} after checking every name, shape and dtype
   * ({@link StateDict#load}); returns the naming the file used.
   */
  public static StateDict.Naming load(Network network, Path file) {
    return StateDict.load(network, read(file), "weight file " + file);
  }

  /**
   * Writes the parameters and buffers of {@code network} named by {@code naming} to {@code file} in
   * {@code format}, atomically; {@code metadata} (safetensors only, may be null) goes into the header.
   *
   * @return the names written, in order
   */
  public static List<String> write(Network network, Path file, Format format, StateDict.Naming naming,
      Map<String, String> metadata) {
    Map<String, Tensor> tensors = StateDict.of(network, naming);
    try {
      if (format == Format.SAFETENSORS) {
        SafeTensors.write(file, tensors, metadata);
      } else {
        Npz.write(file, tensors, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the weights to " + file + ": " + e.getMessage(), e);
    }
    return List.copyOf(tensors.keySet());
  }
}
