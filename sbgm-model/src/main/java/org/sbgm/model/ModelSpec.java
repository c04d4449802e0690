package org.sbgm.model;

import org.sbgm.InvalidInputException;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.sbgm.config.Checks;
import org.sbgm.config.DataSpec;
import org.sbgm.config.NetworkSpec;
import org.sbgm.config.SdeSpec;
import org.sbgm.config.TrainingSpec;

/**
 * Everything a trained model is besides its weights, as written to {@code model.yaml}: the SDE, the
 * network and its output parameterisation, the fitted data transform, the shape of one sample, the
 * condition size, and how it was trained (the training section, the data section and the provenance);
 * for a conditional model also the fitted transform of the parameters π (absent: none), and the shape and
 * the fitted transform of one image condition y (absent: the model takes none).
 *
 * @param format {@value #FORMAT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(String format, SdeSpec sde, NetworkSpec network, String parameterisation,
    TransformSpec transform, List<Long> dataShape, Integer conditionDim, List<String> conditionNames,
    TrainingSpec training, DataSpec data, Provenance provenance, TransformSpec parametersTransform,
    List<Long> conditionImageShape, TransformSpec imageTransform) {
  /** The format tag of this version of model directories. */
  public static final String FORMAT = "sbgm-model/1";

  public ModelSpec {
    if (!FORMAT.equals(format)) {
      throw new InvalidInputException("format must be " + FORMAT + ", got " + (format == null ? "nothing" : "'" + format + "'"));
    }
    Checks.required("sde", sde, "the forward SDE");
    Checks.required("network", network, "the network configuration");
    parameterisation = Checks.oneOf("parameterisation", Checks.or(parameterisation, "epsilon"), List.of("epsilon", "score"));
    Checks.required("transform", transform, "the data transform");
    Checks.required("dataShape", dataShape, "the shape of one sample");
    if (dataShape.isEmpty() || dataShape.stream().anyMatch(d -> d == null || d < 1)) {
      throw new InvalidInputException("dataShape must be a non-empty list of positive sizes, got " + dataShape);
    }
    dataShape = List.copyOf(dataShape);
    conditionDim = Checks.atLeast("conditionDim", Checks.or(conditionDim, 0), 0);
    if (conditionNames != null && conditionNames.size() != conditionDim) {
      throw new InvalidInputException("conditionNames must name the " + conditionDim + " condition values, got " + conditionNames);
    }
    parametersTransform = Checks.or(parametersTransform, TransformSpec.none());
    if (parametersTransform.mean() != null && parametersTransform.mean().size() != conditionDim) {
      throw new InvalidInputException("parametersTransform must standardise the " + conditionDim + " condition values, got "
          + parametersTransform.mean().size());
    }
    if (conditionImageShape != null) {
      if (conditionImageShape.isEmpty() || conditionImageShape.stream().anyMatch(d -> d == null || d < 1)) {
        throw new InvalidInputException("conditionImageShape must be a non-empty list of positive sizes, got " + conditionImageShape);
      }
      conditionImageShape = List.copyOf(conditionImageShape);
      Checks.required("imageTransform", imageTransform, "the transform of the image condition");
    } else {
      Checks.absent("imageTransform", imageTransform, "the model takes no image condition");
    }
  }

  /** The shape of one image condition, or null when the model takes none. */
  @JsonIgnore
  public long[] imageShape() {
    return conditionImageShape == null ? null : conditionImageShape.stream().mapToLong(Long::longValue).toArray();
  }

  /** This spec with another network section (e.g. naming the model directory's copy of a TorchScript module). */
  public ModelSpec withNetwork(NetworkSpec n) {
    return new ModelSpec(format, sde, n, parameterisation, transform, dataShape, conditionDim, conditionNames, training,
        data, provenance, parametersTransform, conditionImageShape, imageTransform);
  }

  /** The shape of one sample as an array. */
  @JsonIgnore
  public long[] sampleShape() {
    return dataShape.stream().mapToLong(Long::longValue).toArray();
  }

  /** D, the number of values per sample. */
  @JsonIgnore
  public long dimension() {
    long d = 1;
    for (long s : dataShape) {
      d *= s;
    }
    return d;
  }
}
