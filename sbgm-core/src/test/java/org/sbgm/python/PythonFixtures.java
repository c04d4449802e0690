package org.sbgm.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.io.Npz;

/**
 * The files {@code scripts/make-torchscript-fixtures.py} wrote with Python (TorchScript modules,
 * safetensors and {@code .npz} files), committed under {@code src/test/resources/org/sbgm/python/}
 * and shared with the other modules' tests through the test-jar.
 */
public final class PythonFixtures {
  private PythonFixtures() {}

  /** Copies fixture {@code name} into {@code dir} (libtorch reads modules from paths) and returns the copy. */
  public static Path copy(String name, Path dir) {
    try (InputStream in = PythonFixtures.class.getResourceAsStream("/org/sbgm/python/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name + "; run scripts/make-torchscript-fixtures.py");
      }
      Files.createDirectories(dir);
      Path out = dir.resolve(name);
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every array of the {@code .npz} fixture {@code name}, as tensors of their stored dtypes. */
  public static Map<String, Tensor> arrays(String name, Path dir) {
    Path file = copy(name, dir);
    try {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String array : Npz.names(file)) {
        out.put(array, Npz.readTensor(file, array));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
