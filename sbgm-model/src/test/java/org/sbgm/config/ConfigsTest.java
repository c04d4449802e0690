package org.sbgm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.config.ConfigFiles;
import org.sbgm.config.FileDataSpec;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.config.MlpSpec;
import org.sbgm.config.RunConfig;
import org.sbgm.config.UNetSpec;
import org.sbgm.nn.Network;
import org.sbgm.nn.Networks;

/** The shipped configurations parse, build networks that fit their data, and the demo uses the shipped one. */
class ConfigsTest {
  static final Path CONFIGS = Path.of("..", "configs");
  @TempDir Path dir;

  @Test
  void everyShippedConfigParsesAndItsNetworkFitsItsData() throws Exception {
    List<String> names = List.of("eight-gaussians-mlp.yaml", "moons-mlp.yaml", "fashion-mnist-unet.yaml",
        "fashion-mnist-dit.yaml", "grf-unet.yaml");
    for (String name : names) {
      RunConfig c = ConfigFiles.readRunConfig(CONFIGS.resolve(name));
      long[] shape = c.data() instanceof FileDataSpec ? new long[] {1, 28, 28}
          : c.data() instanceof GrfDataSpec g ? new long[] {1, g.size(), g.size()} : new long[] {2};
      int p = c.data() instanceof GrfDataSpec ? 2 : 0;
      Network n = c.network().toCore(shape, p).create(0);
      assertTrue(Networks.parameterCount(n) > 1000, name);
      c.training().toCore();
      c.sde().create();
    }
  }

  @Test
  void everyNetworkTypeBuildsFromItsDefaults() throws Exception {
    String[][] cases = {{"mlp", "2"}, {"residual-mlp", "3"}, {"unet", "1,8,8"}, {"dit", "1,8,8"}, {"mixer", "1,8,8"}};
    for (String[] c : cases) {
      Path f = write(dir.resolve(c[0] + ".yaml"), "data: {source: toy, name: moons}\nnetwork: {type: " + c[0]
          + (c[0].equals("unet") ? ", baseChannels: 8, channelMultipliers: [1, 2]" : "")
          + (c[0].equals("dit") || c[0].equals("mixer") ? ", patchSize: 2, hidden: 16, depth: 1" : "")
          + "}\ntraining: {steps: 1}\n");
      RunConfig config = ConfigFiles.readRunConfig(f);
      long[] shape = java.util.Arrays.stream(c[1].split(",")).mapToLong(Long::parseLong).toArray();
      Network n = config.network().toCore(shape, 0).create(1);
      try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
        long[] batch = new long[shape.length + 1];
        batch[0] = 3;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        org.bytedeco.pytorch.Tensor x = org.sbgm.torch.Torch.randn(batch, org.sbgm.torch.Torch.generator(1),
            org.sbgm.torch.Torch.options(org.sbgm.torch.DType.FLOAT32));
        org.bytedeco.pytorch.Tensor t = org.sbgm.torch.Torch.full(new long[] {3}, 0.3, x);
        assertEquals(java.util.Arrays.toString(batch), java.util.Arrays.toString(
            org.sbgm.torch.Torch.shape(n.forward(x, t, null, null))), c[0]);
      }
      assertEquals(c[0], config.network().typeName());
    }
    Path bad = write(dir.resolve("mismatch.yaml"), "data: {source: toy, name: moons}\nnetwork: {type: unet}\ntraining: {steps: 1}\n");
    org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
        () -> ConfigFiles.readRunConfig(bad).network().toCore(new long[] {2}, 0));
    assertTrue(e.getMessage().contains("unet needs image data"), e.getMessage());
  }

  @Test
  void theDemoRunsTheShippedEightGaussiansConfig() throws Exception {
    RunConfig shipped = ConfigFiles.readRunConfig(CONFIGS.resolve("eight-gaussians-mlp.yaml"));
    assertEquals(shipped, ConfigFiles.builtIn("eight-gaussians-mlp"));
    MlpSpec mlp = (MlpSpec) shipped.network();
    assertEquals(256, mlp.width());
    assertEquals(3, mlp.depth());
    assertEquals("fourier", mlp.timeEmbedding().kind());
    assertEquals(32, mlp.timeEmbedding().dim());
    assertEquals("vp", shipped.sde().type());
  }

  @Test
  void writtenConfigsReadBackEqual() throws Exception {
    RunConfig c = ConfigFiles.readRunConfig(CONFIGS.resolve("grf-unet.yaml"));
    Path yaml = dir.resolve("again.yaml");
    Files.writeString(yaml, ConfigFiles.toYaml(c));
    assertEquals(c, ConfigFiles.readRunConfig(yaml));
    Path json = dir.resolve("again.json");
    Files.writeString(json, ConfigFiles.toJson(c));
    assertEquals(c, ConfigFiles.readRunConfig(json));
    assertTrue(((UNetSpec) c.network()).channelMultipliers().size() >= 2);
  }

  @Test
  void relativeDataPathsResolveAgainstTheConfigFolder() throws Exception {
    Path config = write(dir.resolve("sub/c.yaml"), "data: {source: file, path: ../data/x.npy}\n"
        + "network: {type: mlp}\ntraining: {steps: 1}\n");
    FileDataSpec f = (FileDataSpec) ConfigFiles.readRunConfig(config).data();
    assertEquals(dir.resolve("data/x.npy").toAbsolutePath().normalize().toString(),
        f.resolvedAgainst(config.toAbsolutePath().getParent()).path());
  }

  @Test
  void theBuiltInDemoConfigIsTheShippedFile() throws Exception {
    try (InputStream in = ConfigFiles.class.getResourceAsStream("eight-gaussians-mlp.yaml")) {
      assertEquals(Files.readString(CONFIGS.resolve("eight-gaussians-mlp.yaml")), new String(in.readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8), "keep sbgm-model/src/main/resources/org/sbgm/config/eight-gaussians-mlp.yaml "
          + "identical to configs/eight-gaussians-mlp.yaml");
    }
    org.sbgm.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.sbgm.InvalidInputException.class,
        () -> ConfigFiles.builtIn("nine-gaussians"));
    assertTrue(e.getMessage().contains("'nine-gaussians'") && e.getMessage().contains("eight-gaussians-mlp"), e.getMessage());
  }

  static Path write(Path file, String text) throws java.io.IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
    return file;
  }
}
