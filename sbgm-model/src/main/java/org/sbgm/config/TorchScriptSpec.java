package org.sbgm.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Manifest;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.TorchScriptConfig;

/**
 * A network written in PyTorch and saved as TorchScript ({@code torch.jit.script(model).save(path)} or
 * {@code torch.jit.trace(...)}): {@code forward(x, t[, parameters[, image]])} returning a tensor shaped
 * like x ({@link org.sbgm.nn.TorchScriptSignature}); its weights are the module's own unless {@code init}
 * names a weight file. The path is resolved against the configuration's folder; a model directory keeps a
 * copy of the module ({@code network.pt}) and records its SHA-256 here, so the directory can be moved.
 *
 * @param path the module file
 * @param sha256 when given, the module's SHA-256 (hexadecimal): a file with another checksum is refused
 * @param init a weight file to start from (see {@link NetworkSpec})
 */
public record TorchScriptSpec(String path, String sha256, String init) implements NetworkSpec {
  public TorchScriptSpec {
    path = Checks.required("path", path, "the TorchScript module file, written by torch.jit.save");
    if (path.isBlank()) {
      throw new InvalidInputException("path must name a TorchScript module file, got an empty string");
    }
    if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
      throw new InvalidInputException("sha256 must be 64 lower-case hexadecimal digits, got '" + sha256 + "'");
    }
    init = NetworkSpec.checkInit(init);
  }

  @Override
  public NetworkConfig toCore(long[] sampleShape, int conditionDim, long[] imageShape) {
    if (imageShape != null && imageShape.length != 3) {
      throw new InvalidInputException("network type torchscript takes an image condition shaped [N, C', H, W] "
          + "(passed to forward as image), got samples of shape " + Arrays.toString(imageShape));
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("network.path: the TorchScript module " + file + " does not exist");
    }
    if (sha256 != null) {
      String actual;
      try {
        actual = Manifest.sha256(file);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the TorchScript module " + file + ": " + e.getMessage(), e);
      }
      if (!actual.equals(sha256)) {
        throw new InvalidInputException("network.path: the TorchScript module " + file + " has SHA-256 " + actual
            + ", but network.sha256 is " + sha256 + " (was the module changed?)");
      }
    }
    return new TorchScriptConfig(file, Arrays.stream(sampleShape).boxed().collect(Collectors.toList()), conditionDim,
        imageShape == null ? 0 : Math.toIntExact(imageShape[0]));
  }

  /** A TorchScript module draws its own noise; the project adds no condition dropout to it. */
  @Override
  public Double conditionDropout() {
    return 0.0;
  }

  @Override
  public String typeName() {
    return "torchscript";
  }

  @Override
  public NetworkSpec withInit(String file) {
    return new TorchScriptSpec(path, sha256, file);
  }

  /** This spec naming {@code file} with checksum {@code checksum}. */
  public TorchScriptSpec withModule(String file, String checksum) {
    return new TorchScriptSpec(file, checksum, init);
  }

  @Override
  public NetworkSpec resolvedAgainst(Path base) {
    return new TorchScriptSpec(NetworkSpec.resolve(base, path), sha256, init == null ? null : NetworkSpec.resolve(base, init));
  }
}
