package org.sbgm.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.InvalidInputException;
import org.sbgm.io.DeclaredSize;
import org.sbgm.torch.Torch;

/**
 * Reads a folder of PNG images (sorted by file name) into a uint8 tensor {@code [N, C, H, W]} with
 * values 0..255: C = 1 for grayscale images (1, 2, 4 or 8 bits, scaled to 0..255), C = 3 for colour
 * ones (8-bit RGB or RGBA, alpha dropped; palette images are expanded to RGB). All images must have
 * the same size and the same channel count; a mismatch names the offending file.
 */
public final class ImageFolder {
  private ImageFolder() {}

  /**
   * The images of {@code dir} ({@code *.png}, case-insensitive, sorted by name). Every file's PNG
   * signature and size (from its IHDR header) are checked before any image is decoded: a file that is
   * not a PNG, one of another size than the first, or a folder whose pixels would exceed one array of
   * {@link DeclaredSize#MAX_BYTES} is refused naming the file, without decoding or allocating its pixels.
   */
  public static Tensor read(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
          .sorted().collect(Collectors.toList());
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("Folder '" + dir + "' holds no .png files.");
    }
    int[] size = null;
    for (Path f : files) {
      int[] wh = PngHeader.size(f);
      if (size == null) {
        size = wh;
        long pixels = DeclaredSize.elements(new long[] {files.size(), 3, wh[1], wh[0]}, "Folder '" + dir + "'",
            files.size() + " images of " + wh[0] + "x" + wh[1]);
        if (pixels > DeclaredSize.MAX_BYTES) {
          throw new InvalidInputException("Folder '" + dir + "' holds " + files.size() + " images of " + wh[0] + "x" + wh[1]
              + " (from '" + f.getFileName() + "'), more than the " + DeclaredSize.MAX_BYTES + " bytes of one array.");
        }
      } else if (wh[0] != size[0] || wh[1] != size[1]) {
        throw new InvalidInputException("Image '" + f + "' is " + wh[0] + "x" + wh[1] + ", but the folder's first image is "
            + size[0] + "x" + size[1] + "; all must match.");
      }
    }
    int channels = -1;
    int h = size[1];
    int w = size[0];
    byte[] all = null;
    for (int n = 0; n < files.size(); n++) {
      Path f = files.get(n);
      BufferedImage img = PngHeader.decode(f);
      int c = channels(img, f);
      if (n == 0) {
        channels = c;
        all = new byte[Math.toIntExact((long) files.size() * c * h * w)];
      } else if (c != channels) {
        throw new InvalidInputException("Image '" + f + "' has " + c + " channel(s), but the folder's first image has "
            + channels + "; all must match.");
      }
      pixels(img, c, all, n * c * h * w);
    }
    Torch.init();
    Tensor t = torch.empty(new long[] {files.size(), channels, h, w}, new TensorOptions(torch.ScalarType.Byte), null);
    new BytePointer(t.data_ptr()).put(all, 0, all.length);
    return t;
  }

  private static int channels(BufferedImage img, Path f) {
    ColorModel cm = img.getColorModel();
    if (cm instanceof IndexColorModel) {
      return 3;
    }
    int bits = cm.getComponentSize(0);
    if (bits > 8) {
      throw new InvalidInputException("Image '" + f + "' has " + bits + "-bit samples; expected 8-bit (or fewer) PNGs.");
    }
    return cm.getNumColorComponents() == 1 ? 1 : 3;
  }

  /** Writes the image's C×H×W bytes (channel-major) into {@code out} at {@code at}. */
  private static void pixels(BufferedImage img, int c, byte[] out, int at) {
    int h = img.getHeight();
    int w = img.getWidth();
    Raster r = img.getRaster();
    if (img.getColorModel() instanceof IndexColorModel) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          for (int k = 0; k < 3; k++) {
            out[at + (k * h + y) * w + x] = (byte) (rgb >>> (16 - 8 * k));
          }
        }
      }
      return;
    }
    int bits = img.getColorModel().getComponentSize(0);
    int max = (1 << bits) - 1;
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = r.getSample(x, y, k);
          out[at + (k * h + y) * w + x] = (byte) (bits == 8 ? v : Math.round(v * 255.0 / max));
        }
      }
    }
  }
}
