package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sbgm.InvalidInputException;
import org.sbgm.model.Export;
import org.sbgm.model.Model;
import org.sbgm.nn.StateDict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sbgm export}: a model's EMA weights in a file Python reads ({@link Export}). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write a trained model's (EMA) weights for Python: safetensors or .npz with the parameter names of the "
        + "same architecture in PyTorch, or, for a torchscript network, the TorchScript module with the trained weights.",
        "The same files load back into a network with network.init in a training configuration."},
    footer = {"", "Examples:", "  sbgm export --model demo-out/model --format safetensors --out mlp.safetensors",
        "  sbgm export --model demo-out/model --format npz --out mlp.npz",
        "  sbgm export --model runs/ts --format torchscript --out trained.pt"})
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory written by sbgm train.")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "safetensors",
      description = "safetensors, npz or torchscript (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--names", paramLabel = "NAMING", defaultValue = "pytorch",
      description = "pytorch (the names of the same architecture in PyTorch) or library (the module paths); default ${DEFAULT-VALUE}.")
  String names;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write (.safetensors, .npz or .pt).")
  Path out;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Export.Format f;
    try {
      f = Export.Format.parse(format);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--format: " + e.getMessage(), e);
    }
    StateDict.Naming naming;
    try {
      naming = StateDict.Naming.parse(names);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--names: " + e.getMessage(), e);
    }
    Outputs.file("--out", out, f.extension());
    common.apply();
    Export.Result r = Export.write(Model.load(model), f, naming, out);
    spec.commandLine().getOut().println(String.format(Locale.ROOT, "format=%s tensors=%d parameters=%d names=%s",
        f.name().toLowerCase(Locale.ROOT), r.names().size(), r.parameters(), r.naming().name().toLowerCase(Locale.ROOT)));
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }
}
