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
import org.sbgm.config.NetworkSpec;
import org.sbgm.config.TorchScriptSpec;
import org.sbgm.io.AtomicFiles;
import org.sbgm.io.IoConsumer;
import org.sbgm.io.IoFailures;
import org.sbgm.io.Manifest;
import org.sbgm.nn.Network;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.Networks;

/**
 * The files of a trained model:
 * <ul>
 *   <li>{@code model.yaml} (or {@code model.json}): the {@link ModelSpec};
 *   <li>{@code weights.pt}: the EMA weights ({@link Networks#save});
 *   <li>{@code network.pt} for a TorchScript network: a copy of its module, which {@code model.yaml} names
 *       relatively with its SHA-256;
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
  /** The copy of a TorchScript network's module ({@code network: {type: torchscript}}). */
  public static final String MODULE = "network.pt";

  private ModelDirectory() {}

  /**
   * Writes the weights and the description into {@code dir} (and, for a TorchScript network, a copy of
   * its module, {@link #MODULE}), then the manifest over every file in it, holding the directory's lock.
   *
   * @return the description as written: a TorchScript module named by its copy, relative to the directory,
   *     with its SHA-256, so the directory can be moved
   */
  public static ModelSpec save(Path dir, ModelSpec spec, Network network) {
    try (DirectoryLock lock = DirectoryLock.acquire(dir, "saving a model")) {
      invalidate(dir);
      ModelSpec written = spec.withNetwork(keepModule(dir, spec.network()));
      Networks.save(network, dir.resolve(WEIGHTS));
      AtomicFiles.write(dir.resolve(SPEC), ConfigFiles.toYaml(written).getBytes(StandardCharsets.UTF_8));
      Manifest.write(dir);
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model directory '" + dir + "': " + IoFailures.describe(e), e);
    }
  }

  /**
   * For a TorchScript network, copies its module into {@code dir} as {@link #MODULE} (atomically; the
   * same file again is a no-op) and returns the network section naming the copy with its SHA-256; other
   * sections are returned as they are.
   */
  public static NetworkSpec keepModule(Path dir, NetworkSpec network) throws IOException {
    if (!(network instanceof TorchScriptSpec ts)) {
      return network;
    }
    Path source = Path.of(ts.path()).isAbsolute() ? Path.of(ts.path()) : dir.resolve(ts.path());
    Path copy = dir.resolve(MODULE);
    if (!Files.exists(copy) || !Files.isSameFile(source, copy)) {
      AtomicFiles.write(copy, out -> Files.copy(source, out));
    }
    return ts.withModule(MODULE, Manifest.sha256(copy));
  }

  /**
   * Adds (or replaces) file {@code name} in a complete model directory, written atomically by {@code body},
   * and seals the directory again with a new manifest: e.g. a plot of the training loss.
   */
  public static void attach(Path dir, String name, IoConsumer<OutputStream> body) {
    if (name.contains("/") || name.equals(Manifest.FILE_NAME) || name.equals(SPEC) || name.equals(WEIGHTS)
        || name.equals(MODULE)) {
      throw new InvalidInputException("cannot attach '" + name + "' to a model directory; expected a plain file name "
          + "other than " + Manifest.FILE_NAME + ", " + SPEC + ", " + WEIGHTS + " and " + MODULE);
    }
    try (DirectoryLock lock = DirectoryLock.acquire(dir, "attaching " + name)) {
      verifyAndReadSpec(dir);
      invalidate(dir);
      AtomicFiles.write(dir.resolve(name), body);
      Manifest.write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + name + "' into the model directory '" + dir + "': "
          + IoFailures.describe(e), e);
    }
  }

  private static boolean traceOfAnInterruptedStart(Path p, boolean lockFilePresent) {
    String name = p.getFileName().toString();
    return name.equals(DirectoryLock.FILE_NAME) || AtomicFiles.isLeftover(p) || (lockFilePresent && name.equals(METRICS));
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

  /**
   * The network a spec describes, with freshly initialised weights (from the seed in its provenance; a
   * TorchScript module's own), its files (a TorchScript module) found relative to {@code dir}.
   */
  public static Network build(ModelSpec spec, Path dir) {
    NetworkConfig config = spec.network().resolvedAgainst(dir).toCore(spec.sampleShape(), spec.conditionDim(), spec.imageShape());
    long seed = spec.provenance() == null || spec.provenance().networkSeed() == null ? 0 : spec.provenance().networkSeed();
    return config.create(seed);
  }

  /** The network of {@code dir} with its trained weights, frozen (eval mode, no parameter gradients). */
  public static Network loadNetwork(Path dir, ModelSpec spec) {
    Network network;
    try {
      network = build(spec, dir);
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
      boolean started = Files.isRegularFile(dir.resolve(org.sbgm.train.Checkpoint.FILE_NAME));
      throw new InvalidInputException("model directory '" + dir + "' has no " + SPEC + " or " + SPEC_JSON
          + (started ? ", but a checkpoint: its training has not finished (continue it with sbgm train --resume)"
              : "; expected a directory written by sbgm train"));
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
    return ConfigFiles.read(spec, ModelSpec.class, "model description");
  }

  /**
   * Checks that {@code dir} may receive a new training run: absent, or a directory holding nothing but
   * the traces of a run killed before its first checkpoint (its {@linkplain DirectoryLock lock file}, the
   * temporary files of a killed writer, and, beside the lock file, the metrics written just before that
   * checkpoint); with
   * {@code resume}, a directory holding a checkpoint. Either way no other run may hold its lock.
   */
  public static void checkTarget(Path dir, boolean resume) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("model directory '" + dir + "' is a file; expected a directory");
    }
    DirectoryLock.holder(dir).ifPresent(owner -> {
      throw new DirectoryLockedException(dir, owner.describe());
    });
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
      boolean interrupted = Files.isRegularFile(dir.resolve(DirectoryLock.FILE_NAME));
      try (var s = Files.list(dir)) {
        if (s.anyMatch(p -> !traceOfAnInterruptedStart(p, interrupted))) {
          throw new InvalidInputException("model directory '" + dir + "' already exists and is not empty; choose a new "
              + "directory, or resume its training");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the model directory '" + dir + "': " + IoFailures.describe(e), e);
      }
    }
  }
}
