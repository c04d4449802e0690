package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void replacesTheTargetWithTheNewContent() throws IOException {
    Path target = dir.resolve("sub/weights.bin");
    AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, out -> {
      out.write("new content".getBytes(StandardCharsets.UTF_8));
      out.close(); // closing inside the body is allowed
    });
    assertEquals("new content", Files.readString(target));
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertEquals(1, s.count(), "no temporary file is left");
    }
  }

  @Test
  void aFailingWriterLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("config.yaml");
    Files.writeString(target, "old config");
    IOException io = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(new byte[100_000]); // more than the buffer: bytes reach the temporary file
      throw new IOException("disk full");
    }));
    assertEquals("disk full", io.getMessage());
    assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
      out.write(1);
      throw new IllegalStateException("bug in the writer");
    }));
    assertEquals("old config", Files.readString(target));
    assertEquals(List.of("config.yaml"), listing());
  }

  @Test
  void aFailingWriterCreatesNoTargetWhereThereWasNone() throws IOException {
    Path target = dir.resolve("fresh.npy");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      throw new IOException("nope");
    }));
    assertEquals(List.of(), listing());
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
  }
}
