package org.sbgm.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.nn.Network;
import org.sbgm.nn.Networks;
import org.sbgm.nn.PyTorchNames;
import org.sbgm.nn.StateDict;
import org.sbgm.nn.TorchScriptNetwork;
import org.sbgm.nn.WeightFiles;

/**
 * A model's weights (the EMA weights a model directory holds) in files Python reads, what
 * {@code sbgm export} writes:
 * <ul>
 *   <li>{@code safetensors}: named as PyTorch names the same architecture ({@link PyTorchNames}), loaded in
 *       Python by {@code model.load_state_dict(safetensors.torch.load_file(path))}; the header's metadata
 *       holds {@code format = pt} (the Hugging Face convention), the network section as JSON
 *       ({@code sbgm.network}), the naming ({@code sbgm.names}) and the library version;
 *   <li>{@code npz}: the same tensors as NumPy arrays ({@code numpy.load(path)["net.0.weight"]});
 *   <li>{@code torchscript} (TorchScript models only): the module with the trained weights, for
 *       {@code torch.jit.load(path)}.
 * </ul>
 * The same files load back through {@code network.init} ({@link WeightFiles#load}).
 */
public final class Export {
  /** What {@link #write} produces. */
  public enum Format {
    SAFETENSORS(WeightFiles.Format.SAFETENSORS),
    NPZ(WeightFiles.Format.NPZ),
    /** A TorchScript network's module (no weight file format). */
    TORCHSCRIPT(null);

    private final WeightFiles.Format weights;

    Format(WeightFiles.Format weights) {
      this.weights = weights;
    }

    /** The file extension, with its dot. */
    public String extension() {
      return weights == null ? ".pt" : weights.extension();
    }

    /** The format called {@code name} (safetensors, npz or torchscript, any case). */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
          return f;
        }
      }
      throw new InvalidInputException("the export format must be safetensors, npz or torchscript, got '" + name + "'");
    }
  }

  /**
   * What was written.
   *
   * @param file the file
   * @param format its format
   * @param names the tensor names written (empty for a TorchScript module)
   * @param naming how they are named
   * @param parameters the number of trainable scalars
   */
  public record Result(Path file, Format format, List<String> names, StateDict.Naming naming, long parameters) {}

  private Export() {}

  private static String compactJson(Object value) {
    try {
      return ConfigFiles.json().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Writes the weights of {@code model} to {@code file} in {@code format}, named as PyTorch names them. */
  public static Result write(Model model, Format format, Path file) {
    return write(model, format, StateDict.Naming.PYTORCH, file);
  }

  /** Writes the weights of {@code model} to {@code file} in {@code format}, named by {@code naming}, atomically. */
  public static Result write(Model model, Format format, StateDict.Naming naming, Path file) {
    Network network = model.network().orElseThrow(() -> new InvalidInputException(
        "an exact mixture oracle has no weights to export; give a model directory written by sbgm train"));
    String type = model.spec().map(s -> s.network().typeName()).orElse(network.getClass().getSimpleName());
    long parameters = Networks.parameterCount(network);
    if (format == Format.TORCHSCRIPT) {
      if (!(network instanceof TorchScriptNetwork ts)) {
        throw new InvalidInputException("only a torchscript network exports as a TorchScript module, this model's network is "
            + type + "; export safetensors or npz and load it into the PyTorch module of the same architecture");
      }
      ts.saveModule(file);
      return new Result(file, format, List.of(), StateDict.Naming.PYTORCH, parameters);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.put("sbgm.names", naming.name().toLowerCase(Locale.ROOT));
    metadata.put("sbgm.version", Training.VERSION);
    model.spec().ifPresent(s -> metadata.put("sbgm.network", compactJson(s.network())));
    List<String> names = WeightFiles.write(network, file, format.weights, naming, metadata);
    return new Result(file, format, names, naming, parameters);
  }
}
