package org.sbgm.cli.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sbgm.cli.UserError;
import org.sbgm.cli.config.ConfigFiles;
import org.sbgm.io.AtomicFiles;
import org.sbgm.io.Manifest;
import org.sbgm.nn.Network;
import org.sbgm.nn.NetworkConfig;
import org.sbgm.nn.Networks;
import org.sbgm.score.Parameterisation;
import org.sbgm.score.ScoreModel;

/**
 * A trained model is a directory:
 * <ul>
 *   <li>{@code model.yaml} (or {@code model.json}): the {@link ModelSpec};
 *   <li>{@code weights.pt}: the EMA weights ({@link Networks#save});
 *   <li>{@code manifest.sha256}: SHA-256 checksums of every other file ({@link Manifest});
 *   <li>optionally {@code checkpoint.pt} (resumable training state), {@code metrics.csv}, {@code loss.png}.
 * </ul>
 * Files are written one by one atomically and the manifest last, so a directory with a manifest is
 * complete; loading verifies every file against it first.
 */
public final class ModelDirectory {
  /** The weights file. */
  public static final String WEIGHTS = "weights.pt";
  /** The description file. */
  public static final String SPEC = "model.yaml";
  /** The description file in JSON (accepted when reading). */
  public static final String SPEC_JSON = "model.json";

  private ModelDirectory() {}

  /**
   * Writes the weights and the description into {@code dir}, then the manifest over every file in it.
   * Any manifest already there is removed first, so an interrupted write never leaves a directory
   * that verifies.
   */
  public static void save(Path dir, ModelSpec spec, Network network) throws IOException {
    Files.createDirectories(dir);
    invalidate(dir);
    Networks.save(network, dir.resolve(WEIGHTS));
    AtomicFiles.write(dir.resolve(SPEC), ConfigFiles.toYaml(spec).getBytes(StandardCharsets.UTF_8));
    Manifest.write(dir);
  }

  /** Removes the manifest of {@code dir} (before its files change). */
  public static void invalidate(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(Manifest.FILE_NAME));
  }

  /** Verifies and reads the model in {@code dir}. */
  public static LoadedModel load(Path dir) {
    ModelSpec spec = verifyAndReadSpec(dir);
    Network network = build(spec);
    try {
      Networks.load(network, dir.resolve(WEIGHTS));
    } catch (IllegalArgumentException e) {
      throw new UserError("model directory '" + dir + "': " + e.getMessage(), e);
    }
    freeze(network);
    ScoreModel score = new ScoreModel(network, spec.sde().create(), Parameterisation.parse(spec.parameterisation()));
    return new LoadedModel(dir, spec, network, score);
  }

  /**
   * Puts a trained network in eval mode and stops autograd from tracking its parameters: sampling and
   * likelihoods differentiate with respect to x only, and recording the parameters' paths would cost
   * time and memory.
   */
  public static void freeze(Network network) {
    network.module().eval();
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      org.bytedeco.pytorch.TensorVector ps = network.module().parameters(true);
      for (long i = 0; i < ps.size(); i++) {
        ps.get(i).requires_grad_(false);
      }
    }
  }

  /** The network a spec describes, with freshly initialised weights. */
  public static Network build(ModelSpec spec) {
    NetworkConfig config = spec.network().toCore(spec.sampleShape(), spec.conditionDim());
    long seed = spec.provenance() == null || spec.provenance().networkSeed() == null ? 0 : spec.provenance().networkSeed();
    return config.create(seed);
  }

  /** Checks the directory's files against its manifest and reads its description. */
  public static ModelSpec verifyAndReadSpec(Path dir) {
    if (!Files.exists(dir)) {
      throw new UserError("model directory '" + dir + "' does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new UserError("model path '" + dir + "' is a file; expected a model directory written by sbgm train");
    }
    Path spec = Files.isRegularFile(dir.resolve(SPEC)) ? dir.resolve(SPEC) : dir.resolve(SPEC_JSON);
    if (!Files.isRegularFile(spec)) {
      throw new UserError("model directory '" + dir + "' has no " + SPEC + " or " + SPEC_JSON
          + "; expected a directory written by sbgm train");
    }
    if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
      throw new UserError("model directory '" + dir + "' has no " + WEIGHTS);
    }
    if (!Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
      throw new UserError("model directory '" + dir + "' has no " + Manifest.FILE_NAME
          + ", so it is incomplete (was training interrupted? continue it with sbgm train --resume)");
    }
    try {
      Manifest.verify(dir);
    } catch (IOException e) {
      throw new UserError("model directory '" + dir + "' failed verification: " + e.getMessage(), e);
    }
    return ConfigFiles.read(spec, ModelSpec.class);
  }
}
