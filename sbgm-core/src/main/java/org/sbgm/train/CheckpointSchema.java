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
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.data.DataPosition;
import org.sbgm.torch.Torch;

/**
 * What a trainer checkpoint holds, under which names: the schema of {@link TrainingState} inside the
 * {@link Checkpoint} container.
 *
 * <pre>
 *   metadata  format = sbgm-train, version = 3, step, data.size, data.epoch, data.offset,
 *             ema.updates, loss.last, validation.last (hexadecimal doubles), config.* ({@link TrainerConfig#toMap()})
 *   tensors   model/&lt;parameter&gt;, buffer/&lt;buffer&gt;, ema/&lt;parameter&gt;, rng/&lt;generator&gt; (its get_state()),
 *             adamw/exp_avg/&lt;parameter&gt;, adamw/exp_avg_sq/&lt;parameter&gt;, adamw/step/&lt;parameter&gt;
 *             ({@link FusedAdamW}'s moments and update counts, the counts as int64 scalars)
 * </pre>
 *
 * Version 2 stored the AdamW state as libtorch's own optimiser archive under {@code optimizer} (step,
 * exp_avg and exp_avg_sq per parameter, by position in its one parameter group); it is still read, into
 * the same moments and step count, so runs checkpointed before {@link FusedAdamW} resume.
 *
 * Restoring checks everything (format, version, configuration, data size, every tensor's name, shape
 * and dtype, every generator's name) before it changes anything; a mismatch is an
 * {@link InvalidInputException} naming the file. Version 1 (written before the network's own
 * generators were saved and before training batched through {@code DataLoader}) is refused.
 */
public final class CheckpointSchema {
  /** The {@code format} metadata value of trainer checkpoints. */
  public static final String FORMAT = "sbgm-train";
  /** The schema version this library writes (it reads this one and {@link #LEGACY_VERSION}). */
  public static final int VERSION = 3;
  /** The older version still read: the AdamW state in libtorch's optimiser archive. */
  static final int LEGACY_VERSION = 2;
  private static final String LEGACY_FORMAT_1 = "sbgm-train/1";
  private static final String EXP_AVG = "adamw/exp_avg";
  private static final String EXP_AVG_SQ = "adamw/exp_avg_sq";
  private static final String STEP = "adamw/step";

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
      state.optimizer().expAvg().forEach((k, v) -> tensors.put(EXP_AVG + "/" + k, v));
      state.optimizer().expAvgSq().forEach((k, v) -> tensors.put(EXP_AVG_SQ + "/" + k, v));
      state.optimizer().stepCounts().forEach((k, v) -> tensors.put(STEP + "/" + k,
          Torch.full(new long[0], v, Torch.options(org.sbgm.torch.DType.FLOAT64)).to(torch.ScalarType.Long)));
      tensors.putAll(extraTensors);
      Checkpoint.write(file, meta, tensors, null);
    } finally {
      if (swapped) {
        state.useAveragedWeights();
      }
    }
  }

  /** Checks {@code c} against {@code state} and {@code config}, then copies it into {@code state}. */
  static void restore(Checkpoint c, TrainingState state, TrainerConfig config) {
    int version = checkFormat(c);
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
      AdamWState adam = version == LEGACY_VERSION ? legacyAdamW(c, params) : new AdamWState(stepCounts(c, params),
          matching(c, EXP_AVG, params), matching(c, EXP_AVG_SQ, params));
      params.forEach((k, t) -> t.copy_(savedParams.get(k)));
      buffers.forEach((k, t) -> t.copy_(savedBuffers.get(k)));
      state.ema().load(savedEma, updates);
      state.optimizer().load(adam.steps(), adam.expAvg(), adam.expAvgSq());
      generators.forEach((k, g) -> restoreGenerator(c, k, g, savedRng.get(k)));
    }
    state.loader().seek(position);
    state.restored(step, loss, validation);
  }

  /** AdamW's update counts and moments by parameter name. */
  private record AdamWState(Map<String, Long> steps, Map<String, Tensor> expAvg, Map<String, Tensor> expAvgSq) {}

  /** The saved update count of every parameter: one non-negative int64 scalar per name. */
  private static Map<String, Long> stepCounts(Checkpoint c, Map<String, Tensor> params) {
    Map<String, Tensor> saved = c.tensors(STEP);
    if (!saved.keySet().equals(params.keySet())) {
      throw new InvalidInputException("Checkpoint " + c.file() + " holds " + STEP + " tensors " + saved.keySet()
          + ", but the model has " + params.keySet() + "; resume with the same network configuration.");
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : saved.entrySet()) {
      Tensor t = e.getValue();
      long n = t.numel() == 1 && t.scalar_type().intern() == torch.ScalarType.Long ? t.item_long() : -1;
      if (n < 0) {
        throw new InvalidInputException("Checkpoint " + c.file() + " holds " + STEP + "/" + e.getKey() + " shaped "
            + Arrays.toString(Torch.shape(t)) + " (" + t.scalar_type().intern() + "); expected one non-negative int64 count.");
      }
      out.put(e.getKey(), n);
    }
    return out;
  }

  /**
   * The AdamW state of a version-2 checkpoint, from libtorch's archive by parameter position (the module's
   * order, which is the optimiser group's), checked against the parameters; zero moments for a parameter
   * without state (no step taken).
   */
  private static AdamWState legacyAdamW(Checkpoint c, Map<String, Tensor> params) {
    Checkpoint.LegacyAdamW legacy;
    try {
      legacy = c.legacyAdamW(params.size());
    } catch (RuntimeException e) {
      if (e instanceof InvalidInputException i) {
        throw i;
      }
      throw new InvalidInputException("Checkpoint " + c.file() + " holds an optimiser state that does not fit this"
          + " model's parameters (" + e.getMessage() + ").", e);
    }
    Map<String, Tensor> m = new LinkedHashMap<>();
    Map<String, Tensor> v = new LinkedHashMap<>();
    Map<String, Long> steps = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor p = e.getValue();
      Tensor a = legacy.expAvg()[i];
      Tensor b = legacy.expAvgSq()[i];
      steps.put(e.getKey(), a == null ? 0 : legacy.steps()[i]);
      if (a == null) {
        a = torch.zeros_like(p);
        b = torch.zeros_like(p);
      }
      for (Tensor t : new Tensor[] {a, b}) {
        if (!Arrays.equals(Torch.shape(t), Torch.shape(p))) {
          throw new InvalidInputException("Checkpoint " + c.file() + " holds an AdamW moment shaped "
              + Arrays.toString(Torch.shape(t)) + " for parameter '" + e.getKey() + "' shaped "
              + Arrays.toString(Torch.shape(p)) + "; resume with the same network configuration.");
        }
      }
      m.put(e.getKey(), a);
      v.put(e.getKey(), b);
      i++;
    }
    return new AdamWState(steps, m, v);
  }

  /** Checks the format and returns the version (this one or the legacy one). */
  private static int checkFormat(Checkpoint c) {
    String format = c.metadata().get("format");
    if (LEGACY_FORMAT_1.equals(format)) {
      throw unsupported(c, "1");
    }
    if (!FORMAT.equals(format)) {
      throw new InvalidInputException("Checkpoint " + c.file() + " is not a trainer checkpoint (format " + format
          + "); expected format " + FORMAT + ".");
    }
    String version = c.get("version");
    if (Integer.toString(VERSION).equals(version)) {
      return VERSION;
    }
    if (Integer.toString(LEGACY_VERSION).equals(version)) {
      return LEGACY_VERSION;
    }
    throw unsupported(c, version);
  }

  private static InvalidInputException unsupported(Checkpoint c, String version) {
    return new InvalidInputException("Checkpoint " + c.file() + " has trainer-checkpoint version " + version
        + ", but this library reads versions " + LEGACY_VERSION + " and " + VERSION + " only; start the run again, or resume it with the"
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
