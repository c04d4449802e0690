package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

class ManifestTest {
  @TempDir Path dir;

  @Test
  void sha256MatchesTheStandardTestVector() throws IOException {
    Path f = dir.resolve("abc");
    Files.writeString(f, "abc");
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Manifest.sha256(f));
  }

  @Test
  void writesSortedSha256sumLinesAndVerifies() throws IOException {
    Files.writeString(dir.resolve("config.yaml"), "beta: 20\n");
    Files.createDirectories(dir.resolve("weights"));
    Files.write(dir.resolve("weights/ema.bin"), new byte[] {1, 2, 3, 4, 5});
    Files.writeString(dir.resolve(".hidden.tmp"), "ignored");
    Map<String, String> sums = Manifest.write(dir);
    assertEquals(2, sums.size());
    String text = Files.readString(dir.resolve(Manifest.FILE_NAME), StandardCharsets.UTF_8);
    assertEquals(sums.get("config.yaml") + "  config.yaml\n" + sums.get("weights/ema.bin") + "  weights/ema.bin\n", text);
    assertEquals(sums, Manifest.read(dir));
    Manifest.verify(dir);
  }

  @Test
  void detectsAFlippedByteAMissingFileAndAnUnlistedFile() throws IOException {
    Path weights = dir.resolve("weights.bin");
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(weights, bytes);
    Files.writeString(dir.resolve("a.txt"), "a");
    Manifest.write(dir);
    Manifest.verify(dir);

    bytes[2000] ^= 0x10;
    Files.write(weights, bytes);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Manifest.verify(dir));
    assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("SHA-256"), e.getMessage());
    bytes[2000] ^= 0x10;
    Files.write(weights, bytes);
    Manifest.verify(dir);

    Files.delete(dir.resolve("a.txt"));
    e = assertThrows(InvalidInputException.class, () -> Manifest.verify(dir));
    assertTrue(e.getMessage().contains("a.txt") && e.getMessage().contains("missing"), e.getMessage());
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("z.txt"), "new");
    e = assertThrows(InvalidInputException.class, () -> Manifest.verify(dir));
    assertTrue(e.getMessage().contains("z.txt") && e.getMessage().contains("no checksum"), e.getMessage());
  }

  @Test
  void rejectsAMalformedManifestNamingTheLine() throws IOException {
    Files.writeString(dir.resolve(Manifest.FILE_NAME), "not a checksum  file.txt\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Manifest.verify(dir));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
