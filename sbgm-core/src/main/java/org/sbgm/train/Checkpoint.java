package org.sbgm.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.io.AtomicFiles;
import org.sbgm.torch.Archives;
import org.sbgm.torch.Torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verified training checkpoint: text metadata (step, data position, configuration, ...), named
 * tensors (weights {@code model/*}, EMA weights {@code ema/*}, generator states {@code rng/*}) and the
 * optimiser state (libtorch's own serialisation of AdamW: step, exp_avg, exp_avg_sq per parameter, and
 * the group options), in the container of {@link CheckpointFile}: SHA-256-checked, written by the library's one atomic
 * writer ({@link AtomicFiles#writeKeepingPrevious}), the replaced file kept as {@code checkpoint.prev.pt}. Reading verifies the checksum before anything
 * is parsed, so a corrupt or truncated file is refused with a {@link CorruptCheckpointException}
 * naming it, and nothing is loaded from it.
 *
 * <p>Holds the parsed archive natively: close it when done.
 */
public final class Checkpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

  /** The file name the trainer writes in its checkpoint directory. */
  public static final String FILE_NAME = "checkpoint.pt";
  static final String OPTIMIZER = "optimizer";

  private final Path file;
  private final Map<String, String> metadata;
  private final InputArchive archive;
  private final String digest;

  private Checkpoint(Path file, Map<String, String> metadata, InputArchive archive, String digest) {
    this.file = file;
    this.digest = digest;
    this.metadata = Collections.unmodifiableMap(metadata);
    this.archive = archive;
  }

  /**
   * Writes a checkpoint atomically to {@code file}, keeping a replaced file as its {@code .prev} sibling.
   *
   * @param metadata key/value text (keys without '=' or line breaks, values without line breaks)
   * @param tensors named tensors (names like {@code group/name})
   * @param optimizer a libtorch optimiser whose own archive to store under {@value #OPTIMIZER} (version-2
   *     checkpoints did; version 3 stores the AdamW state as tensors), or null
   */
  public static void write(Path file, Map<String, String> metadata, Map<String, Tensor> tensors, Optimizer optimizer)
      throws IOException {
    Torch.init();
    byte[] meta = encodeMetadata(metadata);
    byte[] zip;
    try (PointerScope scope = new PointerScope()) {
      OutputArchive out = new OutputArchive();
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        if (e.getKey().equals(OPTIMIZER)) {
          throw new InvalidInputException("tensor name '" + OPTIMIZER + "' is reserved for the optimiser state; expected another name.");
        }
        out.write(e.getKey(), e.getValue().detach().clone());
      }
      if (optimizer != null) {
        OutputArchive opt = new OutputArchive();
        optimizer.save(opt);
        out.write(OPTIMIZER, opt);
      }
      zip = Archives.toBytes(out);
    }
    byte[] content = CheckpointFile.encode(meta, zip);
    AtomicFiles.writeKeepingPrevious(file, previousOf(file.toAbsolutePath()), o -> o.write(content));
  }

  /** Reads and verifies {@code file}; a corrupt or truncated file throws {@link CorruptCheckpointException}. */
  public static Checkpoint read(Path file) throws IOException {
    Torch.init();
    long size = Files.size(file);
    if (size > org.sbgm.io.DeclaredSize.MAX_BYTES) {
      throw new CorruptCheckpointException(file, "holds " + size + " bytes, more than the " + org.sbgm.io.DeclaredSize.MAX_BYTES
          + " bytes (2 GiB) a checkpoint can hold");
    }
    byte[] bytes = Files.readAllBytes(file);
    CheckpointFile.Contents contents = CheckpointFile.decode(file, bytes);
    Map<String, String> meta = decodeMetadata(file, contents.metadata());
    InputArchive in;
    try {
      in = Archives.fromBytes(contents.archive());
    } catch (RuntimeException e) {
      throw new CorruptCheckpointException(file, "holds an unreadable tensor archive (" + e.getMessage() + ")");
    }
    return new Checkpoint(file, meta, in, contents.digest());
  }

  /**
   * Reads the newest good checkpoint of {@code directory}: {@code checkpoint.pt}, or, when it is missing
   * or refused, {@code checkpoint.prev.pt} (with a warning); throws the first failure when neither loads.
   */
  public static Checkpoint readLatest(Path directory) throws IOException {
    Path current = directory.resolve(FILE_NAME);
    try {
      return read(current);
    } catch (CorruptCheckpointException | NoSuchFileException e) {
      Path prev = previousOf(current);
      try {
        Checkpoint c = read(prev);
        LOG.warn("{} Using the previous checkpoint {}.", e.getMessage(), prev);
        return c;
      } catch (IOException | InvalidInputException e2) {
        e.addSuppressed(e2);
        throw e;
      }
    }
  }

  /** The sibling that keeps the checkpoint a write replaced: {@code checkpoint.pt} -> {@code checkpoint.prev.pt}. */
  public static Path previousOf(Path file) {
    return CheckpointFile.previousOf(file);
  }

  public Path file() {
    return file;
  }

  /** The verified SHA-256 of this checkpoint's payload (64 hex digits): which checkpoint this is. */
  public String digest() {
    return digest;
  }

  /**
   * The SHA-256 that {@code file}'s header records, read without verifying or loading the rest (null
   * when it is not a checkpoint): compared with {@link #digest()} it tells whether the file still holds
   * the checkpoint that was read.
   */
  public static String storedDigest(Path file) throws IOException {
    return CheckpointFile.storedDigest(file);
  }

  /** All metadata. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** A metadata value; a missing key is a corrupt-format error naming the file. */
  public String get(String key) {
    String v = metadata.get(key);
    if (v == null) {
      throw new InvalidInputException("Checkpoint " + file + " lacks the metadata key '" + key
          + "'; expected a trainer checkpoint of version " + CheckpointSchema.VERSION + ".");
    }
    return v;
  }

  /** Metadata keys starting with {@code prefix}, with the prefix removed. */
  public Map<String, String> metadataWithPrefix(String prefix) {
    Map<String, String> m = new LinkedHashMap<>();
    metadata.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  /** The tensors named {@code group/...}, by the rest of their name, in stored order. */
  public Map<String, Tensor> tensors(String group) {
    String prefix = group + "/";
    Map<String, Tensor> m = new LinkedHashMap<>();
    StringVector keys = archive.keys();
    for (long i = 0; i < keys.size(); i++) {
      String k = keys.get(i).getString();
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), tensor(k));
      }
    }
    return m;
  }

  /** The tensor stored under {@code name}. */
  public Tensor tensor(String name) {
    Tensor t = new Tensor();
    if (!archive.try_read(name, t)) {
      throw new InvalidInputException("Checkpoint " + file + " holds no tensor '" + name
          + "'; expected a trainer checkpoint of version " + CheckpointSchema.VERSION + ".");
    }
    return t;
  }

  /**
   * libtorch's AdamW state as a version-2 checkpoint stored it (libtorch's own optimiser archive): per parameter,
   * in the order of the optimiser's one parameter group, the step count and the two moments (null where the
   * parameter had no state yet, before its first step).
   *
   * @param count the parameters the optimiser had
   */
  LegacyAdamW legacyAdamW(int count) {
    InputArchive opt = new InputArchive();
    if (!archive.try_read(OPTIMIZER, opt)) {
      throw new InvalidInputException("Checkpoint " + file + " holds no optimiser state; expected a trainer"
          + " checkpoint of version 2 to hold libtorch's AdamW archive.");
    }
    InputArchive groups = new InputArchive();
    InputArchive group = new InputArchive();
    InputArchive state = new InputArchive();
    if (!opt.try_read("param_groups", groups) || !groups.try_read("param_groups/0", group) || !opt.try_read("state", state)) {
      throw new InvalidInputException("Checkpoint " + file + " holds an optimiser archive without param_groups/0 or"
          + " state; expected libtorch's AdamW archive.");
    }
    long[] steps = new long[count];
    Tensor[] m = new Tensor[count];
    Tensor[] v = new Tensor[count];
    for (int i = 0; i < count; i++) {
      org.bytedeco.pytorch.IValue key = new org.bytedeco.pytorch.IValue();
      if (!group.try_read("params/" + i, key)) {
        throw new InvalidInputException("Checkpoint " + file + " holds an optimiser state for " + i
            + " parameters, but the model has " + count + "; resume with the same network configuration.");
      }
      InputArchive one = new InputArchive();
      if (!state.try_read(key.toStringRef().getString(), one)) {
        continue; // no step taken yet
      }
      org.bytedeco.pytorch.IValue step = new org.bytedeco.pytorch.IValue();
      one.read("step", step);
      steps[i] = step.toInt();
      m[i] = new Tensor();
      one.read("exp_avg", m[i]);
      v[i] = new Tensor();
      one.read("exp_avg_sq", v[i]);
    }
    org.bytedeco.pytorch.IValue extra = new org.bytedeco.pytorch.IValue();
    if (group.try_read("params/" + count, extra)) {
      throw new InvalidInputException("Checkpoint " + file + " holds an optimiser state for more than the model's " + count
          + " parameters; resume with the same network configuration.");
    }
    return new LegacyAdamW(steps, m, v);
  }

  /** libtorch's AdamW state by parameter position: step counts and moments (null before a parameter's first step). */
  record LegacyAdamW(long[] steps, Tensor[] expAvg, Tensor[] expAvgSq) {}

  @Override
  public void close() {
    archive.close();
  }

  private static byte[] encodeMetadata(Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k.isEmpty() || k.contains("=") || k.contains("\n") || v.contains("\n") || v.contains("\r")) {
        throw new InvalidInputException(
            "metadata key '" + k + "' or its value is not a single line (or the key holds '=')");
      }
      sb.append(k).append('=').append(v).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> decodeMetadata(Path file, byte[] bytes) throws CorruptCheckpointException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new CorruptCheckpointException(file, "has a malformed metadata line '" + line + "'");
      }
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }
}
