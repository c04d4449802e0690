package org.sbgm.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NamedTensor;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.named_buffer_iterator;
import org.bytedeco.pytorch.named_buffer_list;
import org.bytedeco.pytorch.named_parameter_iterator;
import org.bytedeco.pytorch.named_parameter_list;
import org.sbgm.InvalidInputException;
import org.sbgm.io.AtomicFiles;
import org.sbgm.torch.Torch;

/**
 * A network written in PyTorch and exported with {@code torch.jit.script} or {@code torch.jit.trace}:
 * libtorch runs its {@code forward(x, t[, parameters[, image]])} ({@link TorchScriptSignature}), which
 * must return a tensor shaped like x.
 *
 * <p>A TorchScript module is a {@code torch::jit::Module}, not a {@code torch::nn::Module}, so this class
 * is the {@code nn::Module} the rest of the library works with ({@link #module()} returns it): it
 * registers the TorchScript module's parameters and buffers under the same dotted names (children
 * mirroring its submodules), as the <em>same</em> tensors, so the optimiser's in-place updates, the
 * EMA's swaps, weight files, checkpoints and {@code to(device)} (which changes the tensors in place) all
 * act on the tensors the TorchScript code reads. The training flag of this module is passed on to the
 * TorchScript module before each call (dropout, batch norm). Tensors the module holds as plain
 * attributes (neither parameters nor buffers) are neither trained nor saved nor moved: they come from
 * the module file.
 *
 * <p>The module runs in libtorch's graph interpreter without the graph executor's optimisations
 * ({@code torch::jit::setGraphExecutorOptimize(false)} on the calling thread): the profiling executor
 * re-plans a graph after its first calls (specialised, with its own derivative formulas), so a freshly
 * loaded module would compute its first steps in other rounding than one that has run for a while, and a
 * resumed training run would not be bit-identical to one that ran straight through.
 *
 * <p>Inputs are converted to the dtype of the module's parameters and the output back to that of x.
 * There are no forward-mode tangents: likelihoods take the divergence by autograd. Dropout inside the
 * module draws from libtorch's default generator, which training checkpoints save, so resuming stays exact.
 */
public final class TorchScriptNetwork extends NetworkModule implements Network {
  private final JitModule script;
  private final TorchScriptSignature signature;
  private final String source;
  private final Tensor reference;
  private final java.util.Map<String, NetworkModule> nodes = new java.util.HashMap<>();

  private TorchScriptNetwork(JitModule script, String source) {
    this.script = script;
    this.source = source;
    this.signature = TorchScriptSignature.of(script, source);
    Tensor first = null;
    try (PointerScope scope = new PointerScope()) {
      named_parameter_list params = script.named_parameters(true);
      for (named_parameter_iterator it = params.begin(); it.notEquals(params.end()); it = it.increment()) {
        NamedTensor nt = it.access();
        Tensor t = mirror(nt.name().getString(), nt.value(), false);
        if (first == null && t.is_floating_point()) {
          first = new Tensor(t); // an owned handle: t points into the module's dictionary, which grows
          first.retainReference();
        }
      }
      named_buffer_list buffers = script.named_buffers(true);
      for (named_buffer_iterator it = buffers.begin(); it.notEquals(buffers.end()); it = it.increment()) {
        NamedTensor nt = it.access();
        mirror(nt.name().getString(), nt.value(), true);
      }
    }
    this.reference = first;
    train(script.is_training());
  }

  /** Loads the TorchScript module in {@code file} onto the CPU and reads its forward signature. */
  public static TorchScriptNetwork load(Path file) {
    Torch.init();
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("TorchScript module " + file + " does not exist");
    }
    JitModule module;
    try {
      module = torch.load(file.toString(), new DeviceOptional(new Device("cpu")), false);
    } catch (RuntimeException e) {
      throw new InvalidInputException("could not read " + file + " as a TorchScript module (" + summary(e)
          + "); expected a file written by torch.jit.save or ScriptModule.save", e);
    }
    module.retainReference();
    return new TorchScriptNetwork(module, file.toString());
  }

  /** The file (or description) the module came from. */
  public String source() {
    return source;
  }

  /** The forward signature. */
  public TorchScriptSignature signature() {
    return signature;
  }

  /**
   * Checks the module against the model it is to serve: the signature against the condition
   * ({@link TorchScriptSignature#check}), then a dry run without autograd in eval mode (so no dropout
   * draw and no batch-norm statistics change) on two samples of {@code sampleShape} with t = ½:
   * the output must be a tensor shaped like x.
   */
  public void check(long[] sampleShape, int conditionDim, int imageChannels) {
    signature.check(conditionDim, imageChannels);
    boolean training = is_training();
    eval();
    try (PointerScope scope = new PointerScope(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      long[] shape = new long[sampleShape.length + 1];
      shape[0] = 2;
      System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
      Tensor x = Torch.randn(shape, Torch.generator(0), Torch.options(org.sbgm.torch.DType.FLOAT32));
      Tensor t = Torch.full(new long[] {2}, 0.5, x);
      Tensor p = conditionDim > 0 ? Torch.full(new long[] {2, conditionDim}, 0, x) : null;
      Tensor y = imageChannels > 0 && sampleShape.length == 3
          ? Torch.full(new long[] {2, imageChannels, sampleShape[1], sampleShape[2]}, 0, x) : null;
      forward(x, t, p, y);
    } finally {
      train(training);
    }
  }

  @Override
  public Tensor forward(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    if (x == null || t == null) {
      throw new InvalidInputException("TorchScript module " + source + " needs x and t, got " + (x == null ? "no x" : "no t"));
    }
    boolean training = is_training();
    if (script.is_training() != training) {
      script.train(training);
    }
    if (torch.getGraphExecutorOptimize()) {
      torch.setGraphExecutorOptimize(false); // thread-local in libtorch: see the class comment
    }
    torch.ScalarType own = reference == null ? x.scalar_type() : reference.scalar_type();
    boolean convert = own.intern() != x.scalar_type().intern();
    IValue out;
    try {
      out = script.forward(signature.inputs(convert ? x.to(own) : x, convert ? t.to(own) : t,
          convert && parameters != null ? parameters.to(own) : parameters, convert && image != null ? image.to(own) : image));
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidInputException("TorchScript module " + source + " failed on x of shape "
          + Arrays.toString(Torch.shape(x)) + ": " + summary(e), e);
    }
    if (!out.isTensor()) {
      throw new InvalidInputException("TorchScript module " + source + " returned " + out.tagKind().getString()
          + " from forward; expected a tensor shaped like x");
    }
    Tensor y = out.toTensor();
    if (!Arrays.equals(Torch.shape(y), Torch.shape(x))) {
      throw new InvalidInputException("TorchScript module " + source + " maps x of shape " + Arrays.toString(Torch.shape(x))
          + " to shape " + Arrays.toString(Torch.shape(y)) + "; expected an output shaped like x");
    }
    if (!y.is_floating_point()) {
      throw new InvalidInputException("TorchScript module " + source + " returned a tensor of type " + y.scalar_type().intern()
          + "; expected floating point values");
    }
    return y.scalar_type().intern() == x.scalar_type().intern() ? y : y.to(x.scalar_type());
  }

  /**
   * Writes the TorchScript module with its present weights (the tensors this network trains) to
   * {@code file} through the atomic writer; Python reads it with {@code torch.jit.load}.
   */
  public void saveModule(Path file) {
    try {
      AtomicFiles.writeFile(file, temp -> script.save(temp.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the TorchScript module to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Registers {@code value} (the module's own tensor) under its dotted name, creating the mirroring
   * children; returns the registered tensor (valid until the owner's dictionary grows).
   */
  private Tensor mirror(String dotted, Tensor value, boolean buffer) {
    int dot = dotted.lastIndexOf('.');
    NetworkModule owner = dot < 0 ? this : node(dotted.substring(0, dot));
    String leaf = dotted.substring(dot + 1);
    Tensor same = new Tensor(value);
    if (buffer) {
      return owner.buffer(leaf, same);
    }
    return owner.register_parameter(leaf, same, same.requires_grad()); // a frozen tensor stays frozen
  }

  /** The mirroring child at a dotted path, created with its parents on first use. */
  private NetworkModule node(String path) {
    NetworkModule n = nodes.get(path);
    if (n == null) {
      int dot = path.lastIndexOf('.');
      NetworkModule parent = dot < 0 ? this : node(path.substring(0, dot));
      n = parent.child(path.substring(dot + 1), new Node());
      nodes.put(path, n);
    }
    return n;
  }

  /** The last line that says what went wrong in a libtorch or TorchScript error (no stack frames). */
  static String summary(RuntimeException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String[] lines = msg.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].strip();
      if (l.matches("^[A-Za-z]*Error: .*")) {
        return l;
      }
    }
    for (String l : lines) {
      if (!l.isBlank() && !l.startsWith("Exception raised from") && !l.startsWith("frame #")) {
        return l.strip();
      }
    }
    return msg.strip();
  }

  /** A plain child that only holds mirrored tensors. */
  private static final class Node extends NetworkModule {}
}
