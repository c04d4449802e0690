package org.sbgm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.data.TensorDataset;
import org.sbgm.score.ScoreModel;
import org.sbgm.torch.Torch;

/** Checksums, truncation, the kept previous checkpoint and configuration checks on resume. */
class CheckpointTest {
  @TempDir
  Path dir;
  Path current;
  Path previous;
  Tensor data;
  TrainerConfig config;

  @BeforeEach
  void writeTwoCheckpoints() {
    Torch.init();
    data = Fixtures.mixture(128, 1);
    config = TrainerConfig.defaults(4).withBatchSize(16).withSchedule(0, 2);
    new Trainer(Fixtures.model(1, 8), config, new TensorDataset(data), null).checkpointTo(dir).train();
    current = dir.resolve(Checkpoint.FILE_NAME);
    previous = dir.resolve("checkpoint.prev.pt");
  }

  @Test
  void writesAtomicallyAndKeepsThePrevious() throws Exception {
    try (Checkpoint c = Checkpoint.read(current); Checkpoint p = Checkpoint.read(previous)) {
      assertEquals("4", c.get("step"));
      assertEquals("2", p.get("step"));
      assertEquals(config.toMap(), c.metadataWithPrefix("config."));
      assertEquals(config, TrainerConfig.fromMap(c.metadataWithPrefix("config."), Weighting::parse));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary files are left behind");
    }
  }

  @Test
  void flippedByteIsRefusedAndThePreviousStillLoads() throws Exception {
    byte[] bytes = Files.readAllBytes(current);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(current, bytes);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(current));
    System.out.println(e.getMessage());
    assertTrue(e.getMessage().startsWith("Checkpoint " + current + " is corrupt: its SHA-256 checksum does not match"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("refusing to load it."));
    Trainer fresh = new Trainer(Fixtures.model(2, 8), config, new TensorDataset(data), null);
    assertThrows(CorruptCheckpointException.class, () -> fresh.resume(current));
    assertEquals(0, fresh.step(), "nothing was loaded from the refused file");
    fresh.resume(previous);
    assertEquals(2, fresh.step());
    try (Checkpoint latest = Checkpoint.readLatest(dir)) {
      assertEquals(previous, latest.file());
    }
  }

  @Test
  void truncatedFileIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(current);
    Files.write(current, Arrays.copyOf(bytes, bytes.length - 100));
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(current));
    System.out.println(e.getMessage());
    assertEquals("Checkpoint " + current + " is truncated: its header promises " + (bytes.length - 52)
        + " payload bytes, the file holds " + (bytes.length - 152) + "; refusing to load it.", e.getMessage());
    Files.write(current, Arrays.copyOf(bytes, 20));
    e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(current));
    assertEquals("Checkpoint " + current + " is truncated: it holds 20 bytes, fewer than the 52-byte header;"
        + " refusing to load it.", e.getMessage());
    Files.write(current, new byte[0]);
    assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(current));
    try (Checkpoint p = Checkpoint.read(previous)) {
      assertEquals("2", p.get("step"));
    }
  }

  @Test
  void foreignFileIsRefused() throws Exception {
    Path other = dir.resolve("other.pt");
    Files.write(other, "not a checkpoint at all, just some text that is long enough".getBytes());
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(other));
    assertEquals("Checkpoint " + other + " is not an sbgm checkpoint (its first bytes are not SBGMCKPT);"
        + " refusing to load it.", e.getMessage());
  }

  @Test
  void resumeRefusesADifferentConfiguration() {
    Trainer other = new Trainer(Fixtures.model(2, 8), config.withLearningRate(1e-3, 100), new TensorDataset(data), null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> other.resume(current));
    assertEquals("Checkpoint " + current + " was written with training.lr = 2.0E-4, but this trainer has 0.001"
        + "; resume with the same configuration (only steps may change).", e.getMessage());
    Trainer slower = new Trainer(Fixtures.model(2, 8), config.withEmaRate(0.99), new TensorDataset(data), null);
    e = assertThrows(InvalidInputException.class, () -> slower.resume(current));
    assertEquals("Checkpoint " + current + " was written with training.emaRate = 0.999"
        + ", but this trainer has 0.99; resume with the same configuration (only steps may change).", e.getMessage());
    Trainer longer = new Trainer(Fixtures.model(2, 8), config.withSteps(6), new TensorDataset(data), null);
    assertThrows(InvalidInputException.class, () -> {
      Trainer wider = new Trainer(Fixtures.model(2, 12), config, new TensorDataset(data), null);
      wider.resume(current);
    });
    try {
      longer.resume(current);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    longer.trainUntil(6);
    assertEquals(6, longer.step());
  }

  /** Rewrites {@code from} with some metadata replaced, as another library version might have written it. */
  private Path rewritten(Path from, String name, java.util.Map<String, String> changes) throws Exception {
    Path to = dir.resolve(name);
    try (Checkpoint c = Checkpoint.read(from); org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope()) {
      java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
      changes.forEach((k, v) -> {
        if (v == null) {
          meta.remove(k);
        } else {
          meta.put(k, v);
        }
      });
      java.util.Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
      for (String group : new String[] {"model", "buffer", "ema", "rng"}) {
        c.tensors(group).forEach((k, v) -> tensors.put(group + "/" + k, v));
      }
      Checkpoint.write(to, meta, tensors, null);
    }
    return to;
  }

  @Test
  void resumeRefusesOtherSchemaVersionsNamingTheFile() throws Exception {
    try (Checkpoint c = Checkpoint.read(current)) {
      assertEquals(CheckpointSchema.FORMAT, c.get("format"));
      assertEquals("3", c.get("version"));
    }
    java.util.Map<String, String> legacy = new java.util.HashMap<>();
    legacy.put("format", "sbgm-train/1");
    legacy.put("version", null);
    Path old = rewritten(current, "old.pt", legacy);
    Trainer fresh = new Trainer(Fixtures.model(2, 8), config, new TensorDataset(data), null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> fresh.resume(old));
    assertEquals("Checkpoint " + old + " has trainer-checkpoint version 1, but this library reads versions 2 and 3 only;"
        + " start the run again, or resume it with the sbgm release that wrote it.", e.getMessage());
    Path future = rewritten(current, "future.pt", java.util.Map.of("version", "4"));
    e = assertThrows(InvalidInputException.class, () -> fresh.resume(future));
    assertTrue(e.getMessage().startsWith("Checkpoint " + future + " has trainer-checkpoint version 4, but"), e.getMessage());
    Path legacyWithout = rewritten(current, "v2.pt", java.util.Map.of("version", "2"));
    e = assertThrows(InvalidInputException.class, () -> fresh.resume(legacyWithout));
    assertTrue(e.getMessage().contains("holds no optimiser state; expected a trainer checkpoint of version 2 to hold libtorch's"
        + " AdamW archive"), e.getMessage());
    Path foreign = rewritten(current, "foreign.pt", java.util.Map.of("format", "something-else"));
    e = assertThrows(InvalidInputException.class, () -> fresh.resume(foreign));
    assertEquals("Checkpoint " + foreign + " is not a trainer checkpoint (format something-else); expected format "
        + "sbgm-train.", e.getMessage());
    Path noStep = rewritten(current, "nostep.pt", java.util.Collections.singletonMap("step", null));
    e = assertThrows(InvalidInputException.class, () -> fresh.resume(noStep));
    assertEquals("Checkpoint " + noStep + " lacks the metadata key 'step'; expected a trainer checkpoint of version 3.",
        e.getMessage());
    Path badStep = rewritten(current, "badstep.pt", java.util.Map.of("step", "four"));
    e = assertThrows(InvalidInputException.class, () -> fresh.resume(badStep));
    assertEquals("Checkpoint " + badStep + " holds 'four' for step; expected a non-negative integer.", e.getMessage());
    assertEquals(0, fresh.step(), "nothing was loaded from a refused file");
  }

  @Test
  void resumeRefusesAnotherSetOfNetworkGeneratorsBeforeChangingAnything() throws Exception {
    ScoreModel model = Fixtures.model(2, 8);
    float[] before = Torch.toFloats(model.network().module().parameters(true).get(0));
    ((TinyMlp) model.network()).generators = java.util.Map.of("dropout", Torch.generator(3));
    Trainer noisy = new Trainer(model, config, new TensorDataset(data), null);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> noisy.resume(current));
    assertEquals("Checkpoint " + current + " holds the generators [time, noise, default], but this run draws from"
        + " [time, noise, default, network/dropout]; resume with the same network configuration.", e.getMessage());
    assertArrayEquals(before, Torch.toFloats(model.network().module().parameters(true).get(0)), 0f,
        "the weights were not touched");
    assertEquals(0, noisy.step());
  }
}
