package org.sbgm.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataPosition;
import org.sbgm.torch.Torch;

/**
 * What a trainer checkpoint holds, under which names: the schema of {@link TrainingState} inside the
 * {@link Checkpoint} container.
 *
 * <pre>
 *   metadata  format = sbgm-train, version = 2, step, data.size, data.epoch, data.offset,
 *             ema.updates, loss.last, validation.last (hexadecimal doubles), config.* ({@link TrainerConfig#toMap()})
 *   tensors   model/&lt;parameter&gt;, buffer/&lt;buffer&gt;, ema/&lt;parameter&gt;, rng/&lt;generator&gt; (its get_state())
 *   optimizer libtorch's AdamW archive (step, exp_avg, exp_avg_sq per parameter; the group options)
 * </pre>
 *
 * Restoring checks everything (format, version, configuration, data size, every tensor's name, shape
 * and dtype, every generator's name) before it changes anything; a mismatch is an
 * {@link InvalidInputException} naming the file. Version 1 (written before the network's own
 * generators were saved and before training batched through {@code DataLoader}) is refused.
 */
public final class CheckpointSchema {
  /** The {@code format} metadata value of trainer checkpoints. */
  public static final String FORMAT = "sbgm-train";
  /** The schema version this library writes and reads. */
  public static final int VERSION = 2;
  private static final String LEGACY_FORMAT_1 = "sbgm-train/1";

  private CheckpointSchema() {}

  /** Writes {@code state} (with the trained weights as {@code model/*}) and {@code config} to {@code file}. */
  static void write(Path file, TrainingState state, TrainerConfig config) throws IOException {
    write(file, state, config, Map.of(), Map.of());
  }

  /**
   * As {@link #write(Path, TrainingState, TrainerConfig)}, with extra metadata and tensors (a
   * data-parallel run's world size and its other ranks' generator states).
   */
  static void write(Path file, TrainingState state, TrainerConfig config, Map<String, String> extraMetadata,
      Map<String, Tensor> extraTensors) throws IOException {
    boolean swapped = state.useTrainedWeights();
    try (PointerScope scope = new PointerScope()) {
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("version", Integer.toString(VERSION));
      meta.put("step", Long.toString(state.step()));
      meta.put("data.size", Long.toString(state.loader().dataset().size()));
      meta.put("data.epoch", Long.toString(state.position().epoch()));
      meta.put("data.offset", Long.toString(state.position().offset()));
      meta.put("ema.updates", Long.toString(state.ema().updates()));
      meta.put("loss.last", Double.toHexString(state.lastLoss()));
      meta.put("validation.last", Double.toHexString(state.lastValidationLoss()));
      config.toMap().forEach((k, v) -> meta.put("config." + k, v));
      meta.putAll(extraMetadata);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      named(state.module().named_parameters(true)).forEach((k, v) -> tensors.put("model/" + k, v));
      named(state.module().named_buffers(true)).forEach((k, v) -> tensors.put("buffer/" + k, v));
      state.ema().shadows().forEach((k, v) -> tensors.put("ema/" + k, v));
      state.generators().forEach((k, g) -> tensors.put("rng/" + k, g.get_state()));
      tensors.putAll(extraTensors);
      Checkpoint.write(file, meta, tensors, state.optimizer());
    } finally {
      if (swapped) {
        state.useAveragedWeights();
      }
    }
  }

  /** Checks {@code c} against {@code state} and {@code config}, then copies it into {@code state}. */
  static void restore(Checkpoint c, TrainingState state, TrainerConfig config) {
    checkFormat(c);
    Map<String, String> stored = c.metadataWithPrefix("config.");
    for (Map.Entry<String, String> e : config.toMap().entrySet()) {
      // checkpoints from before the precision key were float32 runs
      String was = e.getKey().equals("precision") ? stored.getOrDefault("precision", "fp32") : stored.get(e.getKey());
      if (!e.getKey().equals("steps") && !e.getValue().equals(was)) {
        throw new InvalidInputException("Checkpoint " + c.file() + " was written with " + userKey(e.getKey()) + " = "
            + decimal(was) + ", but this trainer has " + decimal(e.getValue())
            + "; resume with the same configuration (only steps may change).");
      }
    }
    long step = number(c, "step");
    if (step > config.steps()) {
      throw new InvalidInputException("Checkpoint " + c.file() + " is at step " + step
          + ", beyond this trainer's " + config.steps() + " steps; expected at most " + config.steps() + ".");
    }
    long size = number(c, "data.size");
    if (size != state.loader().dataset().size()) {
      throw new InvalidInputException("Checkpoint " + c.file() + " was trained on " + size
          + " samples, but this trainer has " + state.loader().dataset().size() + "; resume on the same data.");
    }
    DataPosition position = new DataPosition(number(c, "data.epoch"), number(c, "data.offset"));
    if (position.offset() >= size) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds the data offset " + position.offset()
          + "; expected an offset below the " + size + " samples.");
    }
    long updates = number(c, "ema.updates");
    double loss = real(c, "loss.last");
    double validation = real(c, "validation.last");
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Map<String, Tensor> params = named(state.module().named_parameters(true));
      Map<String, Tensor> buffers = named(state.module().named_buffers(true));
      Map<String, Tensor> savedParams = matching(c, "model", params);
      Map<String, Tensor> savedBuffers = matching(c, "buffer", buffers);
      Map<String, Tensor> savedEma = matching(c, "ema", params);
      Map<String, Generator> generators = state.generators();
      Map<String, Tensor> savedRng = c.tensors("rng");
      if (!savedRng.keySet().equals(generators.keySet())) {
        throw new InvalidInputException("Checkpoint " + c.file() + " holds the generators " + savedRng.keySet()
            + ", but this run draws from " + generators.keySet() + "; resume with the same network configuration.");
      }
      try {
        c.loadOptimizer(state.optimizer());
      } catch (RuntimeException e) {
        throw new InvalidInputException("Checkpoint " + c.file() + " holds an optimiser state that does not fit this"
            + " model's parameters (" + e.getMessage() + ").", e);
      }
      params.forEach((k, t) -> t.copy_(savedParams.get(k)));
      buffers.forEach((k, t) -> t.copy_(savedBuffers.get(k)));
      state.ema().load(savedEma, updates);
      generators.forEach((k, g) -> restoreGenerator(c, k, g, savedRng.get(k)));
    }
    state.loader().seek(position);
    state.restored(step, loss, validation);
  }

  private static void checkFormat(Checkpoint c) {
    String format = c.metadata().get("format");
    if (LEGACY_FORMAT_1.equals(format)) {
      throw unsupported(c, "1");
    }
    if (!FORMAT.equals(format)) {
      throw new InvalidInputException("Checkpoint " + c.file() + " is not a trainer checkpoint (format " + format
          + "); expected format " + FORMAT + ".");
    }
    String version = c.get("version");
    if (!Integer.toString(VERSION).equals(version)) {
      throw unsupported(c, version);
    }
  }

  private static InvalidInputException unsupported(Checkpoint c, String version) {
    return new InvalidInputException("Checkpoint " + c.file() + " has trainer-checkpoint version " + version
        + ", but this library reads version " + VERSION + " only; start the run again, or resume it with the"
        + " sbgm release that wrote it.");
  }

  private static void restoreGenerator(Checkpoint c, String name, Generator g, Tensor saved) {
    try {
      g.set_state(saved);
    } catch (RuntimeException e) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds a state for generator '" + name
          + "' that this run's generator cannot take (" + e.getMessage() + "); resume on the same device.", e);
    }
  }

  /** The saved tensors of {@code group}, checked to have exactly the names, shapes and dtypes of {@code targets}. */
  private static Map<String, Tensor> matching(Checkpoint c, String group, Map<String, Tensor> targets) {
    Map<String, Tensor> saved = c.tensors(group);
    if (!saved.keySet().equals(targets.keySet())) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds " + group + " tensors " + saved.keySet()
          + ", but the model has " + targets.keySet() + "; resume with the same network configuration.");
    }
    for (Map.Entry<String, Tensor> e : targets.entrySet()) {
      Tensor src = saved.get(e.getKey());
      Tensor dst = e.getValue();
      if (!Arrays.equals(Torch.shape(src), Torch.shape(dst)) || src.scalar_type().intern() != dst.scalar_type().intern()) {
        throw new InvalidInputException("Checkpoint " + c.file() + " holds " + group + " tensor '" + e.getKey()
            + "' shaped " + Arrays.toString(Torch.shape(src)) + " (" + src.scalar_type().intern() + "), but the model's is "
            + Arrays.toString(Torch.shape(dst)) + " (" + dst.scalar_type().intern() + ").");
      }
    }
    return saved;
  }

  /** The configuration key a user writes for a {@link TrainerConfig#toMap()} key: training.lr for learningRate. */
  private static String userKey(String key) {
    return "training." + (key.equals("learningRate") ? "lr" : key);
  }

  /** A {@link TrainerConfig#toMap()} value for a message: a hexadecimal double (exact, for the comparison) in decimal. */
  private static String decimal(String value) {
    try {
      return value != null && value.contains("0x") ? Double.toString(Double.parseDouble(value)) : value;
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static long number(Checkpoint c, String key) {
    String v = c.get(key);
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds '" + v + "' for " + key
          + "; expected a non-negative integer.", e);
    }
  }

  private static double real(Checkpoint c, String key) {
    String v = c.get(key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds '" + v + "' for " + key
          + "; expected a number.", e);
    }
  }

  /**
   * The tensors of {@code dict} by name, as owned handles (belonging to the open pointer scope): the
   * dictionary's own {@code value()} points into the dictionary, which may be freed once it is unreachable.
   */
  static Map<String, Tensor> named(StringTensorDict dict) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (long i = 0; i < dict.size(); i++) {
      m.put(dict.get(i).key().getString(), new Tensor(dict.get(i).value()));
    }
    return m;
  }
}
