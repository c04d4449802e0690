package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.NdArray;
import org.sbgm.io.Npy;

/** 8-bit images from a gzip IDX file (a generated stand-in for Fashion-MNIST) and conditional random fields. */
class ImagesTest {
  @TempDir static Path dir;
  static Path images;

  /** 64 images of 8x8 bytes, stripes and blocks, as gzip IDX. */
  @BeforeAll
  static void idx() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(raw);
    out.writeInt(0x00000803);
    out.writeInt(64);
    out.writeInt(8);
    out.writeInt(8);
    for (int i = 0; i < 64; i++) {
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          out.writeByte(((i % 2 == 0 ? r : c) + i / 2) % 4 < 2 ? 230 : 20);
        }
      }
    }
    images = dir.resolve("tiny-images-idx3-ubyte.gz");
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(images))) {
      gz.write(raw.toByteArray());
    }
  }

  @Test
  void imageModelTrainsSamplesDrawsAndReportsBitsPerDim() throws Exception {
    Path config = Cli.write(dir.resolve("img.yaml"), String.join("\n",
        "data: {source: file, path: tiny-images-idx3-ubyte.gz, validation: 0.1}",
        "network: {type: unet, baseChannels: 8, channelMultipliers: [1, 2], middleAttention: false, groups: 4}",
        "training: {steps: 15, batchSize: 16, lr: 1e-3, warmupSteps: 5, seed: 1}", ""));
    Path model = dir.resolve("img-model");
    Cli.ok("train", "--config", config.toString(), "--out", model.toString(), "--quiet", "--threads", "1");
    assertTrue(Files.readString(model.resolve("model.yaml")).contains("type: image"));
    Path samples = dir.resolve("img.npy");
    Cli.ok("sample", "--model", model.toString(), "--n", "6", "--sampler", "em", "--steps", "20", "--out", samples.toString(),
        "--png", dir.resolve("grid.png").toString(), "--trajectory", dir.resolve("strip.png").toString(), "--quiet", "--threads", "1");
    NdArray x = Npy.read(samples);
    assertArrayEquals(new long[] {6, 1, 8, 8}, x.shape());
    for (double v : x.data()) {
      assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "samples are 256-level values, got " + v);
    }
    BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
    BufferedImage strip = ImageIO.read(dir.resolve("strip.png").toFile());
    assertTrue(grid.getWidth() > 8 && strip.getWidth() > strip.getHeight(), "a strip of x_t at several t");
    // Likelihood of the sampled levels, [N, H, W] accepted for one channel; bits/dim = -nats/(D ln 2).
    Path flat = dir.resolve("flat.npy");
    Npy.write(flat, x.data(), 6, 8, 8);
    Cli.Result r = Cli.ok("loglik", "--model", model.toString(), "--data", flat.toString(), "--out",
        dir.resolve("bpd.npy").toString(), "--quiet", "--rtol", "1e-3", "--atol", "1e-3", "--threads", "1");
    assertEquals("hutchinson", r.values().get("divergence"), "images use Hutchinson by default");
    assertEquals(1, r.number("probes"));
    assertEquals(-r.number("mean_nats") / (64 * Math.log(2)), r.number("bits_per_dim"), 1e-4);
    assertTrue(r.number("bits_per_dim") > 0 && r.number("bits_per_dim") < 16, r.out());
    // Values outside 0..255 are not 8-bit data.
    Path scaled = dir.resolve("scaled.npy");
    Npy.write(scaled, new double[64], 1, 8, 8);
    double[] bad = new double[64];
    bad[3] = -1;
    Npy.write(scaled, bad, 1, 8, 8);
    Cli.userError(Cli.args("loglik", "--model", model.toString(), "--data", scaled.toString(), "--out",
        dir.resolve("never.npy").toString()), "0..255");
    // nor are fractional levels, such as images scaled to [0, 1]
    double[] fraction = new double[64];
    fraction[5] = 0.5;
    Npy.write(scaled, fraction, 1, 8, 8);
    Cli.userError(Cli.args("loglik", "--model", model.toString(), "--data", scaled.toString(), "--out",
        dir.resolve("never.npy").toString()), "holds the value 0.5 at flat index 5", "whole levels 0..255");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "2", "--out", dir.resolve("never.npy").toString(),
        "--condition", "1,2"), "unconditional");
    assertTrue(!Files.exists(dir.resolve("never.npy")));
  }

  @Test
  void conditionalFieldsNeedAndUseTheCondition() throws Exception {
    Path model = Cli.tinyGrfModel(dir, "grf-model", 10);
    String spec = Files.readString(model.resolve("model.yaml"));
    assertTrue(spec.contains("conditionDim: 2") && spec.contains("- A") && spec.contains("- B"), spec);
    Path out = dir.resolve("fields.npy");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "4", "--out", out.toString()),
        "conditional", "--condition", "(A, B)");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "4", "--out", out.toString(), "--condition", "1"),
        "--condition", "must hold 2 values");
    Cli.userError(Cli.args("sample", "--model", model.toString(), "--n", "4", "--out", out.toString(), "--condition", "1,x"),
        "'x' is not a number");
    assertTrue(!Files.exists(out));
    Cli.ok("sample", "--model", model.toString(), "--n", "4", "--sampler", "ode", "--steps", "8", "--condition", "1.0,3.0",
        "--out", out.toString(), "--png", dir.resolve("fields.png").toString(), "--quiet", "--threads", "1");
    assertArrayEquals(new long[] {4, 1, 8, 8}, Npy.read(out).shape());
    Cli.Result r = Cli.ok("loglik", "--model", model.toString(), "--data", out.toString(), "--condition", "1.0,3.0",
        "--divergence", "hutchinson", "--probes", "2", "--rtol", "1e-3", "--atol", "1e-3", "--out", dir.resolve("ll.npy").toString(),
        "--quiet", "--threads", "1");
    assertTrue(Double.isFinite(r.number("mean_nats")), r.out());
    assertEquals(-r.number("mean_nats") / (64 * Math.log(2)), r.number("bits_per_dim"), 1e-4, r.out());
    // Fields drawn from the GRF itself: their exact density at (A, B) is printed next to the model's.
    Path held = dir.resolve("held-out.npy");
    Cli.Result f = Cli.ok("grf", "--size", "8", "--n", "12", "--condition", "1.0,3.0", "--seed", "3", "--out", held.toString(),
        "--quiet", "--threads", "1");
    NdArray fields = Npy.read(held);
    assertArrayEquals(new long[] {12, 8, 8}, fields.shape());
    double exact;
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      org.sbgm.data.GaussianRandomField grf = new org.sbgm.data.GaussianRandomField(
          org.sbgm.data.GaussianRandomField.Config.fixed(8, 1.0, 3.0));
      exact = grf.logDensity(org.sbgm.torch.Torch.tensor(fields.data(), org.sbgm.torch.DType.FLOAT64, 12, 8, 8),
          org.sbgm.torch.Torch.tensor(new double[] {1.0, 3.0}, org.sbgm.torch.DType.FLOAT64, 1, 2).expand(12, 2)).mean().item_double();
    }
    assertEquals(exact, f.number("exact_mean_nats"), 1e-5 * Math.abs(exact), f.out());
    assertEquals(-exact / (64 * Math.log(2)), f.number("exact_bits_per_dim"), 1e-4, f.out());
    Cli.Result h = Cli.ok("loglik", "--model", model.toString(), "--data", held.toString(), "--condition", "1.0,3.0",
        "--rtol", "1e-3", "--atol", "1e-3", "--out", dir.resolve("held-ll.npy").toString(), "--quiet", "--threads", "1");
    assertEquals(exact, h.number("exact_mean_nats"), 1e-5 * Math.abs(exact), h.out());
    assertEquals(f.number("exact_bits_per_dim"), h.number("exact_bits_per_dim"), 1e-4, h.out());
    assertTrue(h.out().contains("exact=grf"), h.out());
    Cli.userError(Cli.args("grf", "--size", "1", "--n", "3", "--condition", "1,3", "--out", dir.resolve("no.npy").toString()),
        "--size must be at least 2");
    Cli.userError(Cli.args("grf", "--n", "3", "--condition", "-1,3", "--out", dir.resolve("no.npy").toString()), "amplitude");
    assertTrue(!Files.exists(dir.resolve("no.npy")));
  }
}
