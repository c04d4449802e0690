package org.sbgm.data;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.sbgm.InvalidInputException;

/**
 * The PNG checks of {@link ImageFolder}: the 8-byte signature and the IHDR chunk (width and height, read
 * without decoding anything), then decoding with the PNG reader only, so that a file of another format
 * that merely carries the extension is refused rather than decoded.
 */
final class PngHeader {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngHeader() {}

  /** {width, height} from the IHDR chunk, which must follow the signature. */
  static int[] size(Path f) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(f))) {
      byte[] head = in.readNBytes(8);
      if (!Arrays.equals(head, SIGNATURE)) {
        throw new InvalidInputException("File '" + f + "' is not a PNG image: its first bytes are not the PNG signature.");
      }
      int length = in.readInt();
      byte[] type = in.readNBytes(4);
      if (length != 13 || !Arrays.equals(type, new byte[] {'I', 'H', 'D', 'R'})) {
        throw new InvalidInputException("File '" + f + "' is not a valid PNG image: its first chunk is not a 13-byte IHDR.");
      }
      int width = in.readInt();
      int height = in.readInt();
      if (width <= 0 || height <= 0) {
        throw new InvalidInputException("File '" + f + "' announces a PNG image of " + Integer.toUnsignedString(width) + "x"
            + Integer.toUnsignedString(height) + " pixels; expected positive sizes below 2^31.");
      }
      return new int[] {width, height};
    } catch (EOFException e) {
      throw new InvalidInputException("File '" + f + "' is truncated inside its PNG header.", e);
    }
  }

  /** The decoded image; any decoding failure names the file. */
  static BufferedImage decode(Path f) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JVM has no PNG reader");
    }
    ImageReader reader = readers.next();
    try (InputStream raw = Files.newInputStream(f); ImageInputStream in = ImageIO.createImageInputStream(raw)) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new InvalidInputException("File '" + f + "' is not a readable PNG image (" + why + ").", e);
    } finally {
      reader.dispose();
    }
  }
}
