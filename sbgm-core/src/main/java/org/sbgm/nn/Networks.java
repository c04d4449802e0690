package org.sbgm.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.sbgm.InvalidInputException;
import org.sbgm.io.AtomicFiles;
import org.sbgm.torch.Torch;

/**
 * Parameter counts and weight files for {@link Network}s.
 *
 * <p>A weight file is libtorch's serialized module archive ({@code torch::save(module, path)} in C++):
 * every parameter and buffer by its module path. {@link #save} writes it through
 * {@link AtomicFiles}, so an existing file is never left half-written, and the same weights always give
 * the same bytes (a reproducible manifest; bit-identical runs compare file by file).
 * {@link #load} checks that every parameter and buffer of the network is in the file with the same
 * shape before copying any value (libtorch's own {@code Module::load} would silently replace a tensor
 * of a different shape).
 */
public final class Networks {
  private Networks() {}

  /** The number of trainable scalars (buffers not counted). */
  public static long parameterCount(Network network) {
    try (PointerScope scope = new PointerScope()) {
      TensorVector ps = network.module().parameters(true);
      long n = 0;
      for (long i = 0; i < ps.size(); i++) {
        n += ps.get(i).numel();
      }
      return n;
    }
  }

  /**
   * Writes every parameter and buffer of {@code network} to {@code path} through the library's atomic
   * writer (libtorch's stream writer fills the bytes, a temporary file is forced to disk and renamed over
   * the target), so an existing file is never left half-written; equal weights give equal files.
   */
  public static void save(Network network, Path path) {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      checkNames(network.module().named_parameters(true));
      checkNames(network.module().named_buffers(true));
      OutputArchive archive = new OutputArchive();
      network.module().save(archive);
      // through bytes, not save_to(temporary path): libtorch names the archive's folder after the file it
      // writes, and a random temporary name would make two saves of the same weights differ
      byte[] bytes = org.sbgm.torch.Archives.toBytes(archive);
      AtomicFiles.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the weights to " + path.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the parameters and buffers of {@code network} from {@code path}, written by {@link #save} for a
   * network of the same configuration. Nothing is changed unless every tensor is present with its shape.
   */
  public static void load(Network network, Path path) {
    Torch.init();
    if (!Files.isRegularFile(path)) {
      throw new InvalidInputException("weight file " + path + " does not exist");
    }
    try (PointerScope scope = new PointerScope()) {
      InputArchive archive = new InputArchive();
      try {
        archive.load_from(path.toString());
      } catch (RuntimeException e) {
        throw new InvalidInputException("could not read weight file " + path + " as a libtorch archive: " + e.getMessage(), e);
      }
      Module module = network.module();
      StringTensorDict params = module.named_parameters(true);
      StringTensorDict buffers = module.named_buffers(true);
      Tensor[] paramValues = readAll(archive, params, false, path);
      Tensor[] bufferValues = readAll(archive, buffers, true, path);
      java.util.Map<String, Tensor> loaded = new java.util.LinkedHashMap<>(); // parameters: a buffer may be a -inf mask
      for (int i = 0; i < paramValues.length; i++) {
        loaded.put(params.get(i).key().getString(), paramValues[i]);
      }
      StateDict.requireFinite("weight file " + path, loaded);
      try (NoGradGuard ng = new NoGradGuard()) {
        for (int i = 0; i < paramValues.length; i++) {
          params.get(i).value().copy_(paramValues[i]);
        }
        for (int i = 0; i < bufferValues.length; i++) {
          buffers.get(i).value().copy_(bufferValues[i]);
        }
      }
    }
  }

  private static final java.util.Set<String> KEYWORDS = java.util.Set.of("False", "None", "True", "and", "as",
      "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally",
      "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
      "return", "try", "while", "with", "yield");

  /**
   * libtorch writes the archive as TorchScript: a module or tensor name that is a Python keyword or
   * neither an identifier nor an index (PyTorch's {@code Sequential} and {@code ModuleList} children are
   * called 0, 1, ...; the archive quotes those) could not be read back.
   */
  private static void checkNames(StringTensorDict named) {
    for (long i = 0; i < named.size(); i++) {
      String name = named.get(i).key().getString();
      for (String part : name.split("\\.")) {
        if (!(part.matches("[A-Za-z_][A-Za-z0-9_]*") || part.matches("[0-9]+")) || KEYWORDS.contains(part)) {
          throw new InvalidInputException("cannot save " + name + ": '" + part
              + "' is not a valid Python identifier or index, so libtorch could not read the file back; rename that module or tensor");
        }
      }
    }
  }

  private static Tensor[] readAll(InputArchive root, StringTensorDict wanted, boolean buffers, Path path) {
    Tensor[] out = new Tensor[(int) wanted.size()];
    for (int i = 0; i < out.length; i++) {
      String name = wanted.get(i).key().getString();
      Tensor target = wanted.get(i).value();
      String[] parts = name.split("\\.");
      InputArchive a = root;
      for (int k = 0; k < parts.length - 1; k++) {
        InputArchive sub = new InputArchive();
        if (!a.try_read(parts[k], sub)) {
          throw missing(name, buffers, path);
        }
        a = sub;
      }
      Tensor value = new Tensor();
      if (!a.try_read(parts[parts.length - 1], value, buffers) || !value.defined()) {
        throw missing(name, buffers, path);
      }
      if (!Arrays.equals(Torch.shape(value), Torch.shape(target))) {
        throw new InvalidInputException("weight file " + path + " holds " + name + " with shape "
            + Arrays.toString(Torch.shape(value)) + ", but the network expects " + Arrays.toString(Torch.shape(target))
            + " (was it saved from a different configuration?)");
      }
      out[i] = value;
    }
    return out;
  }

  private static IllegalArgumentException missing(String name, boolean buffer, Path path) {
    return new InvalidInputException("weight file " + path + " has no " + (buffer ? "buffer " : "parameter ") + name
        + " (was it saved from a different network?)");
  }
}
