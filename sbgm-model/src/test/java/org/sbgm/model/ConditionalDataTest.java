package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.io.Npy;
import org.sbgm.io.Npz;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/**
 * Conditional data from files: parameters and image conditions as arrays of the data's .npz or as separate
 * .npy / .csv files; π standardised on the training part and the same map applied to every condition given
 * later; image conditions for image and vector networks; and one sentence naming the file, the array and the
 * shapes for every bad condition input.
 */
class ConditionalDataTest {
  @TempDir static Path dir;
  static Path npz;

  @BeforeAll
  static void files() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    try (PointerScope s = new PointerScope(); Generator g = Torch.generator(1)) {
      Tensor x = Torch.randn(new long[] {64, 2}, g, Torch.options(DType.FLOAT32));
      Tensor theta = Torch.randn(new long[] {64, 3}, g, Torch.options(DType.FLOAT32)).mul(Torch.scalar(2)).add(Torch.scalar(5));
      Tensor images = Torch.randn(new long[] {64, 1, 8, 8}, g, Torch.options(DType.FLOAT32));
      Tensor y = Torch.randn(new long[] {64, 2, 2}, g, Torch.options(DType.FLOAT32));
      Map<String, Tensor> arrays = new LinkedHashMap<>();
      arrays.put("x", x);
      arrays.put("theta", theta);
      arrays.put("images", images);
      arrays.put("y", y);
      arrays.put("short", theta.narrow(0, 0, 60));
      arrays.put("rank3", Torch.randn(new long[] {64, 3, 2}, g, Torch.options(DType.FLOAT32)));
      npz = dir.resolve("sims.npz");
      Npz.write(npz, arrays, false);
      Npy.write(dir.resolve("theta.npy"), theta);
    }
    double[] nan = new double[64 * 3];
    nan[100] = Double.NaN;
    Npy.write(dir.resolve("nan.npy"), nan, 64, 3);
    StringBuilder csv = new StringBuilder("a,b,c\n");
    for (int i = 0; i < 64; i++) {
      csv.append(i).append(',').append(2 * i).append(',').append(i % 5).append('\n');
    }
    Files.writeString(dir.resolve("theta.csv"), csv.toString(), StandardCharsets.UTF_8);
  }

  static Path config(String name, String data, String network) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, String.join("\n", "data: {source: file, " + data + ", validation: 0.1}", "network: " + network,
        "training: {steps: 3, batchSize: 16, warmupSteps: 1, seed: 0}", ""), StandardCharsets.UTF_8);
    return file;
  }

  static final String MLP = "{type: mlp, width: 16, depth: 1, conditionDropout: 0.2}";

  @Test
  void parametersFromTheNpzAreStandardisedAndTheSameMapIsAppliedLater() throws Exception {
    Model m = Training.fromFile(config("npz", "path: sims.npz, array: x, parameters: theta", MLP)).run(dir.resolve("npz"))
        .model();
    ModelSpec spec = m.spec().orElseThrow();
    TransformSpec t = spec.parametersTransform();
    assertEquals("standardize", t.type());
    for (int j = 0; j < 3; j++) {
      assertEquals(5, t.mean().get(j), 0.8, "the mean of the training part");
      assertEquals(2, t.std().get(j), 0.6);
    }
    try (PointerScope s = new PointerScope()) {
      double[] raw = {4, 5, 6};
      double[] model = Torch.toDoubles(m.condition(raw, 2).parameters());
      for (int j = 0; j < 3; j++) {
        assertEquals((raw[j] - t.mean().get(j)) / t.std().get(j), model[j], 1e-6);
        assertEquals(model[j], model[3 + j], 0.0);
      }
      // the same through a file of one row
      Path one = dir.resolve("one.npy");
      Npy.write(one, raw, 1, 3);
      assertArrayEquals(Torch.toFloats(m.condition(raw, 1).parameters()), Torch.toFloats(m.conditions(one, null).parameters()), 0f);
      // a reloaded model applies the map it recorded
      Model loaded = Model.load(dir.resolve("npz"));
      assertArrayEquals(model, Torch.toDoubles(loaded.condition(raw, 2).parameters()), 0.0);
    }
    Model raw = Training.fromFile(config("raw", "path: sims.npz, array: x, parameters: theta, parametersTransform: none", MLP))
        .run(dir.resolve("raw")).model();
    assertEquals("none", raw.spec().orElseThrow().parametersTransform().type());
  }

  @Test
  void parametersFromSeparateFilesAndImageConditionsForEveryKindOfNetwork() throws Exception {
    Model csv = Training.fromFile(config("csv", "path: sims.npz, array: x, parametersPath: theta.csv", MLP))
        .run(dir.resolve("csv")).model();
    assertEquals(3, csv.conditionDim());
    assertEquals(31.5, csv.spec().orElseThrow().parametersTransform().mean().get(0), 4);
    Model npy = Training.fromFile(config("npy", "path: sims.npz, array: x, parametersPath: theta.npy, image: y",
        "{type: residual-mlp, width: 16, depth: 1}")).run(dir.resolve("npy")).model();
    assertArrayEquals(new long[] {1, 2, 2}, npy.conditioning().imageShape(), "[N, H, W] is one channel of H x W");
    assertEquals("standardize", npy.spec().orElseThrow().imageTransform().type());
    Model unet = Training.fromFile(config("unet", "path: sims.npz, array: images, parameters: theta, image: images",
        "{type: unet, baseChannels: 8, channelMultipliers: [1], groups: 4, conditionDropout: 0.1}")).run(dir.resolve("unet"))
        .model();
    Model dit = Training.fromFile(config("dit", "path: sims.npz, array: images, image: images",
        "{type: dit, patchSize: 4, hidden: 16, depth: 1, heads: 2}")).run(dir.resolve("dit")).model();
    try (PointerScope s = new PointerScope(); Generator g = Torch.generator(3)) {
      Tensor y = Torch.randn(new long[] {5, 1, 8, 8}, g, Torch.options(DType.FLOAT32));
      Condition c = unet.conditions(Torch.tensor(new double[] {5, 5, 5}, 1, 3), y);
      ModelSamples samples = unet.sample(new SamplerSpec("em", 3, null, null), 5, 5, c, 3, null);
      assertArrayEquals(new long[] {5, 1, 8, 8}, Torch.shape(samples.x()));
      assertTrue(Torch.allFinite(dit.sample(new SamplerSpec("em", 3, null, null), 5, 5, dit.conditions(null, y), 3, null).x()));
      Condition vector = npy.conditions(Torch.tensor(new double[] {5, 5, 5}, 1, 3), Torch.randn(new long[] {1, 2, 2}, g,
          Torch.options(DType.FLOAT32)));
      assertTrue(Torch.allFinite(npy.sample(new SamplerSpec("em", 3, null, null), 4, 4, vector, 3, null).x()));
      String wrong = assertThrows(InvalidInputException.class, () -> unet.conditions(Torch.tensor(new double[] {5, 5, 5}, 1, 3),
          Torch.randn(new long[] {5, 1, 4, 4}, g, Torch.options(DType.FLOAT32)))).getMessage();
      assertEquals("the image condition holds an array of shape [5, 1, 4, 4], but the model's image condition is [N, 1, 8, 8] "
          + "(N = 1 for all samples)", wrong);
    }
    // guidance needs condition dropout
    assertEquals("guidance needs a model trained with condition dropout (network.conditionDropout > 0), but this model was "
        + "trained with conditionDropout 0.0", assertThrows(InvalidInputException.class, () -> dit.guided(1)).getMessage());
    unet.guided(1.5);
  }

  private static String trainError(String name, String data, String network) throws Exception {
    Path file = config(name, data, network);
    return assertThrows(InvalidInputException.class, () -> Training.fromFile(file).run(dir.resolve(name))).getMessage();
  }

  @Test
  void badConditionFilesAreOneSentenceNamingTheFileArrayAndShapes() throws Exception {
    String base = dir.resolve("sims.npz").toString();
    assertEquals("parameter array 'short' of data file '" + base + "' holds an array of shape [60, 3], but data file '" + base
        + "' (array 'x') holds 64 samples; expected one row per sample",
        trainError("rows", "path: sims.npz, array: x, parameters: short", MLP));
    assertEquals("parameter file '" + dir.resolve("nan.npy") + "' holds NaN at index [33, 1]; expected finite numbers only.",
        trainError("nan", "path: sims.npz, array: x, parametersPath: nan.npy", MLP));
    assertEquals("parameter array 'rank3' of data file '" + base + "' holds an array of shape [64, 3, 2]; expected parameters "
        + "[N, P] (or [N] for one parameter)", trainError("rank", "path: sims.npz, array: x, parameters: rank3", MLP));
    assertEquals("the network does not fit the data: network type unet takes an image condition of shape [N, C', H', W'] "
        + "(or [N, H', W']), but each condition has shape [3]; use mlp or residual-mlp for a vector condition",
        trainError("vector", "path: sims.npz, array: images, image: theta",
            "{type: unet, baseChannels: 8, channelMultipliers: [1], groups: 4}"));
    assertEquals("data.parameters ('theta') names an array of the data's .npz archive, but '" + dir.resolve("theta.npy")
        + "' is read as npy; give data.parametersPath, a separate file",
        trainError("notnpz", "path: theta.npy, parameters: theta", MLP));
    assertEquals("data.parametersPath '" + dir.resolve("absent.npy") + "' does not exist",
        trainError("absent", "path: sims.npz, array: x, parametersPath: absent.npy", MLP));
  }

  @Test
  void conditionsGivenLaterAreChecked() throws Exception {
    Model m = Training.fromFile(config("later", "path: sims.npz, array: x, parameters: theta", MLP)).run(dir.resolve("later"))
        .model();
    try (PointerScope s = new PointerScope()) {
      Path two = dir.resolve("two.npy");
      Npy.write(two, new double[] {1, 2, 3, 4}, 2, 2);
      assertEquals("parameter file '" + two + "' holds an array of shape [2, 2], but the model takes 3 values per row",
          assertThrows(InvalidInputException.class, () -> m.conditions(two, null)).getMessage());
      assertEquals("this model is conditional: give a condition of 3 values",
          assertThrows(InvalidInputException.class, () -> m.condition(null, 1)).getMessage());
      Path image = dir.resolve("image.npy");
      Npy.write(image, new double[] {1, 2, 3, 4}, 1, 4);
      assertEquals("image condition file '" + image + "' gives an image condition, but this model takes none (it is "
          + "conditioned on 3 values)", assertThrows(InvalidInputException.class, () -> m.conditions(two, image)).getMessage());
    }
  }
}
