package org.sbgm.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorVector;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.io.AtomicFiles;
import org.sbgm.io.IoConsumer;
import org.sbgm.io.Manifest;
import org.sbgm.nn.Network;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.Networks;

/**
 * The files of a trained model:
 * <ul>
 *   <li>{@code model.yaml} (or {@code model.json}): the {@link ModelSpec};
 *   <li>{@code weights.pt}: the EMA weights ({@link Networks#save});
 *   <li>{@code manifest.sha256}: SHA-256 checksums of every other file ({@link Manifest}), written last;
 *   <li>optionally {@code checkpoint.pt} (the resumable training state), {@code metrics.csv} and any file
 *       {@linkplain #attach attached} later, such as a loss plot.
 * </ul>
 * Files are written one by one atomically and the manifest last, after the old one was removed, so a
 * directory with a manifest is complete; reading verifies every file against it first.
 */
public final class ModelDirectory {
  /** The weights file. */
  public static final String WEIGHTS = "weights.pt";
  /** The description file. */
  public static final String SPEC = "model.yaml";
  /** The description file in JSON (accepted when reading). */
  public static final String SPEC_JSON = "model.json";
  /** The training metrics. */
  public static final String METRICS = "metrics.csv";

  private ModelDirectory() {}

  /** Writes the weights and the description into {@code dir}, then the manifest over every file in it. */
  public static void save(Path dir, ModelSpec spec, Network network) {
    try {
      Files.createDirectories(dir);
      invalidate(dir);
      Networks.save(network, dir.resolve(WEIGHTS));
      AtomicFiles.write(dir.resolve(SPEC), ConfigFiles.toYaml(spec).getBytes(StandardCharsets.UTF_8));
      Manifest.write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model directory '" + dir + "': " + e.getMessage(), e);
    }
  }

  /**
   * Adds (or replaces) file {@code name} in a complete model directory, written atomically by {@code body},
   * and seals the directory again with a new manifest: e.g. a plot of the training loss.
   */
  public static void attach(Path dir, String name, IoConsumer<OutputStream> body) {
    if (name.contains("/") || name.equals(Manifest.FILE_NAME) || name.equals(SPEC) || name.equals(WEIGHTS)) {
      throw new InvalidInputException("cannot attach '" + name + "' to a model directory; expected a plain file name "
          + "other than " + Manifest.FILE_NAME + ", " + SPEC + " and " + WEIGHTS);
    }
    verifyAndReadSpec(dir);
    try {
      invalidate(dir);
      AtomicFiles.write(dir.resolve(name), body);
      Manifest.write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + name + "' into the model directory '" + dir + "': "
          + e.getMessage(), e);
    }
  }

  /** Removes the manifest of {@code dir} (before its files change), so a half-changed directory never verifies. */
  public static void invalidate(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(Manifest.FILE_NAME));
  }

  /**
   * Puts a trained network in eval mode and stops autograd from tracking its parameters: sampling and
   * likelihoods differentiate with respect to x only, and recording the parameters' paths would cost
   * time and memory.
   */
  public static void freeze(Network network) {
    network.module().eval();
    try (PointerScope scope = new PointerScope()) {
      TensorVector ps = network.module().parameters(true);
      for (long i = 0; i < ps.size(); i++) {
        ps.get(i).requires_grad_(false);
      }
    }
  }

  /** The network a spec describes, with freshly initialised weights (from the seed in its provenance). */
  public static Network build(ModelSpec spec) {
    NetworkConfig config = spec.network().toCore(spec.sampleShape(), spec.conditionDim(), spec.imageShape());
    long seed = spec.provenance() == null || spec.provenance().networkSeed() == null ? 0 : spec.provenance().networkSeed();
    return config.create(seed);
  }

  /** The network of {@code dir} with its trained weights, frozen (eval mode, no parameter gradients). */
  public static Network loadNetwork(Path dir, ModelSpec spec) {
    Network network = build(spec);
    try {
      Networks.load(network, dir.resolve(WEIGHTS));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("model directory '" + dir + "': " + e.getMessage(), e);
    }
    freeze(network);
    return network;
  }

  /** Checks the directory's files against its manifest and reads its description. */
  public static ModelSpec verifyAndReadSpec(Path dir) {
    if (!Files.exists(dir)) {
      throw new InvalidInputException("model directory '" + dir + "' does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException("model path '" + dir + "' is a file; expected a model directory written by sbgm train");
    }
    Path spec = Files.isRegularFile(dir.resolve(SPEC)) ? dir.resolve(SPEC) : dir.resolve(SPEC_JSON);
    if (!Files.isRegularFile(spec)) {
      throw new InvalidInputException("model directory '" + dir + "' has no " + SPEC + " or " + SPEC_JSON
          + "; expected a directory written by sbgm train");
    }
    if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
      throw new InvalidInputException("model directory '" + dir + "' has no " + WEIGHTS);
    }
    if (!Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
      throw new InvalidInputException("model directory '" + dir + "' has no " + Manifest.FILE_NAME
          + ", so it is incomplete (was training interrupted? continue it with sbgm train --resume)");
    }
    try {
      Manifest.verify(dir);
    } catch (IOException | InvalidInputException e) {
      throw new InvalidInputException("model directory '" + dir + "' failed verification: " + e.getMessage(), e);
    }
    return ConfigFiles.read(spec, ModelSpec.class);
  }

  /**
   * Checks that {@code dir} may receive a new training run: absent, or an empty directory; with
   * {@code resume}, a directory holding a checkpoint.
   */
  public static void checkTarget(Path dir, boolean resume) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("model directory '" + dir + "' is a file; expected a directory");
    }
    if (resume) {
      if (!Files.isDirectory(dir)) {
        throw new InvalidInputException("cannot resume: model directory '" + dir + "' does not exist");
      }
      if (!Files.isRegularFile(dir.resolve(org.sbgm.train.Checkpoint.FILE_NAME))) {
        throw new InvalidInputException("cannot resume: '" + dir + "' has no " + org.sbgm.train.Checkpoint.FILE_NAME);
      }
      return;
    }
    if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new InvalidInputException("model directory '" + dir + "' already exists and is not empty; choose a new "
              + "directory, or resume its training");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the model directory '" + dir + "': " + e.getMessage(), e);
      }
    }
  }
}
