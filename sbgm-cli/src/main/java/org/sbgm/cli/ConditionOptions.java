package org.sbgm.cli;

import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.model.ConditionFiles;
import org.sbgm.model.Model;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;
import picocli.CommandLine.Option;

/** The condition of {@code sample} and {@code loglik}: {@code --condition a,b}, {@code --conditions FILE}, {@code --condition-image FILE}. */
final class ConditionOptions {
  @Option(names = "--condition", paramLabel = "A,B",
      description = "The parameters π of a conditional model, one value each (e.g. 1.0,3.0), for every sample or point.")
  String condition;

  @Option(names = "--conditions", paramLabel = "FILE",
      description = "Parameters from a .npy, .npz (one array) or .csv file [N, P]: one row for every sample or point, "
          + "or one row per sample or point.")
  Path conditions;

  @Option(names = "--condition-image", paramLabel = "FILE",
      description = "The image condition y of a model trained with one (.npy, .npz or .csv): one for all, or one per "
          + "sample or point.")
  Path image;

  /** The condition in model units (checked against the model); NONE when nothing was given to an unconditional model. */
  Condition resolve(Model model) {
    if (condition != null && conditions != null) {
      throw new InvalidInputException("give the parameters with either --condition or --conditions, not both");
    }
    boolean any = condition != null || conditions != null || image != null;
    if (!any && model.conditioning().isConditional()) {
      long[] y = model.conditioning().imageShape();
      throw new InvalidInputException("this model is conditional: give "
          + (model.conditionDim() > 0 ? "its parameters, " + model.conditioning().describeParameters() + ", with --condition "
              + (model.conditionDim() == 2 ? "a,b" : "v1,...") + " or --conditions FILE" : "")
          + (model.conditionDim() > 0 && y != null ? ", and " : "")
          + (y != null ? "an image condition of shape " + java.util.Arrays.toString(y) + " with --condition-image FILE" : ""));
    }
    if (condition != null && image == null) {
      try {
        return model.condition(Numbers.parse("--condition", condition), 1);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--condition: " + e.getMessage(), e);
      }
    }
    Tensor pi = null;
    String piSource = null;
    if (condition != null) {
      double[] v = Numbers.parse("--condition", condition);
      pi = Torch.tensor(v, 1, v.length);
      piSource = "--condition " + condition;
    } else if (conditions != null) {
      pi = ConditionFiles.read(conditions, "parameter");
      piSource = "parameter file '" + conditions + "'";
    }
    Tensor y = image == null ? null : ConditionFiles.read(image, "image condition");
    return model.conditions(pi, piSource, y, "image condition file '" + image + "'");
  }

  /** What gave the condition's rows, for messages. */
  String source() {
    return conditions != null ? "--conditions " + conditions : image != null ? "--condition-image " + image : "--condition";
  }
}
