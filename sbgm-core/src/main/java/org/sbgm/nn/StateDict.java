package org.sbgm.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.io.SafeTensorsDtype;
import org.sbgm.torch.Torch;

/**
 * A network's parameters and buffers as named tensors, the form weights take in safetensors and
 * {@code .npz} files: {@link #of} names them by {@link PyTorchNames} (or by the library's own module
 * paths), and {@link #load} copies such tensors into a network after checking all of them.
 */
public final class StateDict {
  /** How tensors are named. */
  public enum Naming {
    /** As PyTorch names the same architecture's {@code state_dict()} ({@link PyTorchNames}). */
    PYTORCH,
    /** By the library's own module paths ({@code module().named_parameters()}). */
    LIBRARY;

    /** The naming called {@code name}: pytorch or library (any case). */
    public static Naming parse(String name) {
      for (Naming n : values()) {
        if (n.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
          return n;
        }
      }
      throw new InvalidInputException("the naming must be pytorch or library, got '" + name + "'");
    }
  }

  private static final int SHOWN = 6;

  private StateDict() {}

  /** The live parameters and buffers of {@code network} by name, in the network's order. */
  public static Map<String, Tensor> of(Network network, Naming naming) {
    Map<String, String> names = PyTorchNames.of(network);
    Map<String, Tensor> out = new LinkedHashMap<>();
    library(network).forEach((k, v) -> out.put(naming == Naming.PYTORCH ? names.get(k) : k, v));
    return out;
  }

  /**
   * Copies {@code tensors} into the parameters and buffers of {@code network}. The names may follow
   * either {@link Naming} (whichever matches more of them is used); every parameter and buffer must be
   * present with its shape and dtype, and nothing else may be there. Nothing is changed unless all of
   * that holds; otherwise one sentence from {@code source} (the file) lists the mismatches.
   *
   * @return the naming the tensors followed
   */
  public static Naming load(Network network, Map<String, Tensor> tensors, String source) {
    Map<String, Tensor> targets = library(network);
    Map<String, String> pytorch = PyTorchNames.of(network);
    long byPytorch = pytorch.values().stream().filter(tensors::containsKey).count();
    long byLibrary = targets.keySet().stream().filter(tensors::containsKey).count();
    Naming naming = byPytorch >= byLibrary ? Naming.PYTORCH : Naming.LIBRARY;
    Map<String, String> fileNames = new LinkedHashMap<>(); // library name -> name in the file
    targets.keySet().forEach(k -> fileNames.put(k, naming == Naming.PYTORCH ? pytorch.get(k) : k));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : targets.entrySet()) {
      String name = fileNames.get(e.getKey());
      Tensor want = e.getValue();
      Tensor got = tensors.get(name);
      if (got == null) {
        problems.add("it has no tensor '" + name + "' (" + dtype(want) + ", shape " + Arrays.toString(Torch.shape(want)) + ")");
      } else if (!Arrays.equals(Torch.shape(got), Torch.shape(want))) {
        problems.add("'" + name + "' has shape " + Arrays.toString(Torch.shape(got)) + " but the network's is "
            + Arrays.toString(Torch.shape(want)));
      } else if (got.scalar_type().intern() != want.scalar_type().intern()) {
        problems.add("'" + name + "' is " + dtype(got) + " but the network's is " + dtype(want));
      }
    }
    List<String> expected = new ArrayList<>(fileNames.values());
    for (String name : tensors.keySet()) {
      if (!expected.contains(name)) {
        problems.add("it holds '" + name + "', which the network does not have");
      }
    }
    if (!problems.isEmpty()) {
      String shown = String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())));
      throw new InvalidInputException(source + " does not fit the " + describe(network) + " (" + naming.name().toLowerCase(java.util.Locale.ROOT)
          + " names): " + shown + (problems.size() > SHOWN ? "; and " + (problems.size() - SHOWN) + " more" : "") + ".");
    }
    Map<String, Tensor> loaded = new LinkedHashMap<>(); // the parameters: a buffer may hold -inf on purpose (a mask)
    StringTensorDict params = network.module().named_parameters(true);
    for (long i = 0; i < params.size(); i++) {
      String name = fileNames.get(params.get(i).key().getString());
      loaded.put(name, tensors.get(name));
    }
    requireFinite(source, loaded);
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      targets.forEach((k, t) -> t.copy_(tensors.get(fileNames.get(k))));
    }
    return naming;
  }

  /**
   * Refuses weights with NaN or infinite entries (a diverged run's, or a damaged file's), naming the first tensor
   * and how many there are: such a network gives NaN for every input, which would only show later as a solver
   * failure far from its cause.
   */
  static void requireFinite(String source, Map<String, Tensor> tensors) {
    List<String> bad = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        Tensor t = e.getValue();
        if (t.is_floating_point() && !torch.isfinite(t).all().item_bool()) {
          bad.add(e.getKey());
        }
      }
    }
    if (!bad.isEmpty()) {
      throw new InvalidInputException(source + " holds NaN or infinite values in '" + bad.get(0) + "'"
          + (bad.size() > 1 ? " and " + (bad.size() - 1) + " more tensors" : "") + "; these weights cannot be used");
    }
  }

  /**
   * Parameters then buffers by the library's names, as owned handles on the same tensors (belonging to
   * the caller's open pointer scope, if any): a dictionary's own {@code value()} points into the
   * dictionary, which may be freed once it is unreachable.
   */
  private static Map<String, Tensor> library(Network network) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (StringTensorDict dict : List.of(network.module().named_parameters(true), network.module().named_buffers(true))) {
      for (long i = 0; i < dict.size(); i++) {
        out.put(dict.get(i).key().getString(), new Tensor(dict.get(i).value()));
      }
    }
    return out;
  }

  private static String dtype(Tensor t) {
    try {
      return SafeTensorsDtype.of(t.scalar_type()).name();
    } catch (InvalidInputException e) {
      return t.scalar_type().intern().toString();
    }
  }

  private static String describe(Network network) {
    return network instanceof TorchScriptNetwork ts ? "TorchScript module " + ts.source() : network.getClass().getSimpleName();
  }
}
