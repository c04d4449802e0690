package org.sbgm.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Argument;
import org.bytedeco.pytorch.FunctionSchema;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.MethodOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.TypeKind;
import org.sbgm.InvalidInputException;

/**
 * What the {@code forward} method of a TorchScript module takes, read from its schema: {@code x} and
 * {@code t} (tensors), then optionally the parameter vector π and the image y, each a {@code Tensor} or an
 * {@code Optional[Tensor]} (None is passed when the model has no such condition). The third argument is
 * π unless it is called {@code image}; a fourth is y. Further arguments need default values. The method
 * must return one tensor.
 *
 * <p>Accepted: {@code forward(x, t)}, {@code forward(x, t, parameters)}, {@code forward(x, t, image)},
 * {@code forward(x, t, parameters: Optional[Tensor] = None, image: Optional[Tensor] = None)}.
 */
public final class TorchScriptSignature {
  /** What an argument receives. */
  public enum Input { X, T, PARAMETERS, IMAGE }

  /**
   * One argument of {@code forward} after {@code self}.
   *
   * @param name its name in the module's code
   * @param role what it receives
   * @param type its TorchScript type, e.g. {@code Tensor} or {@code Optional[Tensor]}
   * @param takesNone true for {@code Optional[Tensor]}: None can be passed
   * @param hasDefault true when it may be left out (at the end of the call)
   */
  public record Arg(String name, Input role, String type, boolean takesNone, boolean hasDefault) {
    boolean required() {
      return !takesNone && !hasDefault;
    }
  }

  private final List<Arg> args;
  private final String source;

  private TorchScriptSignature(List<Arg> args, String source) {
    this.args = List.copyOf(args);
    this.source = source;
  }

  /** The signature of {@code module.forward}; {@code source} names the module in messages. */
  static TorchScriptSignature of(JitModule module, String source) {
    MethodOptional method = module.find_method("forward");
    if (!method.has_value()) {
      throw new InvalidInputException("TorchScript module " + source + " has no forward method; expected forward(x, t)");
    }
    FunctionSchema schema = method.get().function().getSchema();
    long n = method.get().num_inputs();
    Argument all = schema.arguments();
    List<Arg> args = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      Argument a = all.getPointer(i);
      shown.add(a.name().getString() + ": " + a.type().get().annotation_str().getString());
    }
    String declared = "forward(" + String.join(", ", shown) + ")";
    for (int i = 1; i < n; i++) {
      Argument a = all.getPointer(i);
      String name = a.name().getString();
      TypeKind kind = a.type().get().kind().intern();
      boolean optional = kind == TypeKind.OptionalType
          && a.type().get().annotation_str().getString().equals("Optional[Tensor]");
      boolean tensor = kind == TypeKind.TensorType || optional;
      boolean hasDefault = a.default_value().has_value();
      int k = i - 1;
      Input role = k == 0 ? Input.X : k == 1 ? Input.T
          : k == 2 ? (name.equals("image") ? Input.IMAGE : Input.PARAMETERS)
          : k == 3 && args.get(2).role() == Input.PARAMETERS ? Input.IMAGE : null;
      if (role == null) {
        if (!hasDefault) {
          throw new InvalidInputException("TorchScript module " + source + " declares " + declared + ", whose argument '"
              + name + "' has no default; expected forward(x, t[, parameters[, image]])");
        }
        continue;
      }
      if (!tensor || (k < 2 && optional)) {
        throw new InvalidInputException("TorchScript module " + source + " declares " + declared + ", whose argument '"
            + name + "' is " + a.type().get().annotation_str().getString() + "; expected " + (k < 2 ? "a Tensor" : "a Tensor or Optional[Tensor]")
            + " for " + describe(role));
      }
      args.add(new Arg(name, role, a.type().get().annotation_str().getString(), optional, hasDefault));
    }
    if (args.size() < 2) {
      throw new InvalidInputException("TorchScript module " + source + " declares " + declared
          + "; expected forward(x, t) with x the noisy samples and t the times");
    }
    Argument returns = schema.returns();
    if (returns.type().get().kind().intern() != TypeKind.TensorType) {
      throw new InvalidInputException("TorchScript module " + source + " returns " + returns.type().get().annotation_str().getString()
          + " from forward; expected one Tensor shaped like x");
    }
    return new TorchScriptSignature(args, source);
  }

  /** The arguments after {@code self} that receive inputs. */
  public List<Arg> args() {
    return args;
  }

  /** True when forward has an argument for {@code role}. */
  public boolean takes(Input role) {
    return args.stream().anyMatch(a -> a.role() == role);
  }

  /**
   * Checks the signature against data conditioned on {@code conditionDim} parameters (0 = none) and
   * {@code imageChannels} image channels (0 = none): a condition the data have needs an argument, and an
   * argument the data cannot fill must take None or have a default.
   */
  public void check(int conditionDim, int imageChannels) {
    checkRole(Input.PARAMETERS, conditionDim > 0, conditionDim + " parameters");
    checkRole(Input.IMAGE, imageChannels > 0, "an image of " + imageChannels + " channels");
  }

  private void checkRole(Input role, boolean present, String what) {
    Arg arg = args.stream().filter(a -> a.role() == role).findFirst().orElse(null);
    if (present && arg == null) {
      throw new InvalidInputException("TorchScript module " + source + " declares " + this + ", which takes no "
          + describe(role) + ", but the model is conditioned on " + what + "; add an argument for it");
    }
    if (!present && arg != null && arg.required()) {
      throw new InvalidInputException("TorchScript module " + source + " declares " + this + ", which requires "
          + describe(role) + " '" + arg.name() + "', but the model has none; make it Optional[Tensor] = None");
    }
  }

  /** The call's inputs: absent conditions become None, or are left out at the end where they have defaults. */
  IValueVector inputs(Tensor x, Tensor t, Tensor parameters, Tensor image) {
    List<IValue> values = new ArrayList<>();
    int last = -1;
    for (int i = 0; i < args.size(); i++) {
      Arg a = args.get(i);
      Tensor v = switch (a.role()) {
        case X -> x;
        case T -> t;
        case PARAMETERS -> parameters;
        case IMAGE -> image;
      };
      if (v != null) {
        values.add(new IValue(v));
      } else {
        values.add(a.takesNone() ? new IValue() : null);
      }
      if (v != null || !a.hasDefault()) {
        last = i; // an argument without a default is always passed (None when absent)
      }
    }
    for (int i = 0; i <= last; i++) {
      if (values.get(i) == null) {
        throw new InvalidInputException("TorchScript module " + source + " declares " + this + ", whose argument '"
            + args.get(i).name() + "' is " + args.get(i).type() + ", but this call has no " + describe(args.get(i).role())
            + "; make it Optional[Tensor] = None");
      }
    }
    return new IValueVector(values.subList(0, last + 1).toArray(new IValue[0]));
  }

  private static String describe(Input role) {
    return switch (role) {
      case X -> "x";
      case T -> "t";
      case PARAMETERS -> "parameters";
      case IMAGE -> "image";
    };
  }

  @Override
  public String toString() {
    return "forward(" + args.stream().map(a -> a.name() + ": " + a.type()).collect(Collectors.joining(", ")) + ")";
  }
}
