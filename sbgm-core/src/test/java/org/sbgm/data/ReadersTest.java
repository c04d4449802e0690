package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class ReadersTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(ReadersTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void idxFixtureReadsTheRightPixelsPlainAndGzipped() throws IOException {
    for (String suffix : new String[] {"", ".gz"}) {
      try (PointerScope s = new PointerScope()) {
        Tensor images = Idx.readImages(resource("/idx/images-3x4x5.idx3-ubyte" + suffix));
        assertEquals(torch.ScalarType.Byte, images.scalar_type().intern());
        assertArrayEquals(new long[] {3, 1, 4, 5}, Torch.shape(images));
        double[] v = Torch.toDoubles(images);
        for (int i = 0; i < 3; i++) {
          for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 5; c++) {
              assertEquals(80 * i + 5 * r + c, v[(i * 4 + r) * 5 + c], 0.0);
            }
          }
        }
        Tensor labels = Idx.readLabels(resource("/idx/labels-3.idx1-ubyte" + suffix));
        assertArrayEquals(new double[] {7, 0, 3}, Torch.toDoubles(labels), 0.0);
      }
    }
  }

  @Test
  void idxRejectsOtherFilesAndTruncation() throws IOException {
    Path npy = resource("/npy/f32_3x2.npy");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Idx.read(npy));
    assertTrue(e.getMessage().contains("f32_3x2.npy") && e.getMessage().contains("0x00000803"), e.getMessage());
    byte[] good = Files.readAllBytes(resource("/idx/images-3x4x5.idx3-ubyte"));
    Path cut = dir.resolve("cut.idx");
    Files.write(cut, Arrays.copyOf(good, good.length - 1));
    e = assertThrows(InvalidInputException.class, () -> Idx.read(cut));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("60 data bytes"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> Idx.readImages(resource("/idx/labels-3.idx1-ubyte")));
  }

  @Test
  void csvReadsNumbersWithOrWithoutHeader() throws IOException {
    Path withHeader = dir.resolve("with.csv");
    Files.writeString(withHeader, "x,\"y\"\n1.5,-2\n\n3e2, 4\n");
    Csv.Table t = Csv.table(withHeader);
    assertEquals(List.of("x", "y"), t.header());
    assertArrayEquals(new double[] {1.5, -2, 300, 4}, t.values(), 0.0);
    try (PointerScope s = new PointerScope()) {
      Tensor x = Csv.read(withHeader, DType.FLOAT64);
      assertArrayEquals(new long[] {2, 2}, Torch.shape(x));
    }
    Path bare = dir.resolve("bare.csv");
    Files.writeString(bare, "1,2,3\n4,5,6\n");
    assertEquals(List.of(), Csv.table(bare).header());
    assertEquals(2, Csv.table(bare).rows());
  }

  @Test
  void csvErrorsNameTheLineAndColumn() throws IOException {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "a,b,c\n1,2,3\n4,five,6\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Csv.table(bad));
    assertEquals("File '" + bad + "' line 3, column 2: 'five' is not a number.", e.getMessage());
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "1,2\n3\n");
    e = assertThrows(InvalidInputException.class, () -> Csv.table(ragged));
    assertTrue(e.getMessage().contains("line 2 has 1 cells, expected 2"), e.getMessage());
    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "1,2\n3,NaN\n");
    e = assertThrows(InvalidInputException.class, () -> Csv.table(nan));
    assertTrue(e.getMessage().contains("line 2, column 2") && e.getMessage().contains("finite"), e.getMessage());
  }

  private static BufferedImage image(int w, int h, int type, int seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (seed * 50 + 10 * y + x) & 0xff;
        int g = (seed * 7 + 3 * x + 40 * y) & 0xff;
        int b = (255 - r) & 0xff;
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, y, 0, r);
        } else {
          img.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return img;
  }

  @Test
  void pngFolderReadsGrayAndRgbPixelsExactly() throws IOException {
    Path gray = Files.createDirectories(dir.resolve("gray"));
    Path rgb = Files.createDirectories(dir.resolve("rgb"));
    for (int i = 0; i < 3; i++) {
      ImageIO.write(image(5, 4, BufferedImage.TYPE_BYTE_GRAY, i), "png", gray.resolve("img" + i + ".png").toFile());
      ImageIO.write(image(5, 4, BufferedImage.TYPE_INT_RGB, i), "png", rgb.resolve("img" + i + ".PNG").toFile());
    }
    Files.writeString(gray.resolve("notes.txt"), "ignored");
    try (PointerScope s = new PointerScope()) {
      Tensor g = ImageFolder.read(gray);
      assertArrayEquals(new long[] {3, 1, 4, 5}, Torch.shape(g));
      assertEquals(torch.ScalarType.Byte, g.scalar_type().intern());
      Tensor c = ImageFolder.read(rgb);
      assertArrayEquals(new long[] {3, 3, 4, 5}, Torch.shape(c));
      double[] gv = Torch.toDoubles(g);
      double[] cv = Torch.toDoubles(c);
      for (int i = 0; i < 3; i++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 5; x++) {
            int r = (i * 50 + 10 * y + x) & 0xff;
            assertEquals(r, gv[(i * 4 + y) * 5 + x], 0.0);
            assertEquals(r, cv[((i * 3) * 4 + y) * 5 + x], 0.0);
            assertEquals((i * 7 + 3 * x + 40 * y) & 0xff, cv[((i * 3 + 1) * 4 + y) * 5 + x], 0.0);
            assertEquals(255 - r, cv[((i * 3 + 2) * 4 + y) * 5 + x], 0.0);
          }
        }
      }
    }
    ImageIO.write(image(6, 4, BufferedImage.TYPE_BYTE_GRAY, 9), "png", gray.resolve("img9.png").toFile());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFolder.read(gray));
    assertTrue(e.getMessage().contains("img9.png") && e.getMessage().contains("6x4") && e.getMessage().contains("5x4"), e.getMessage());
  }

  @Test
  void requireFiniteNamesTheSourceAndTheFirstBadIndex() {
    try (PointerScope s = new PointerScope()) {
      Tensor ok = Torch.tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
      assertEquals(ok, Datasets.requireFinite(ok, "ok"));
      Tensor bad = Torch.tensor(new double[] {1, 2, 3, 4, 5, Double.NaN}, 2, 3);
      bad.view(-1).get(4).fill_(Torch.scalar(Double.POSITIVE_INFINITY));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.requireFinite(bad, "train.npy"));
      assertEquals("train.npy holds Infinity at index [1, 1]; expected finite numbers only.", e.getMessage());
    }
  }
}
