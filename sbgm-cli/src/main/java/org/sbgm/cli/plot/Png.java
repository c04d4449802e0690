package org.sbgm.cli.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.sbgm.io.AtomicFiles;

/** Writes images as PNG files atomically. */
public final class Png {
  private Png() {}

  /** Writes {@code image} to {@code file} (temporary file + rename). */
  public static void write(BufferedImage image, Path file) throws IOException {
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer is available in this JVM");
      }
    });
  }
}
