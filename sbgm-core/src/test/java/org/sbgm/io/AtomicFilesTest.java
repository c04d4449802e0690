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

  @Test
  void aNativeWriterIsHandedATemporaryPathAndItsFileReplacesTheTarget() throws IOException {
    org.sbgm.torch.Torch.init();
    Path target = dir.resolve("weights.pt");
    Files.writeString(target, "old weights");
    org.bytedeco.pytorch.OutputArchive archive = new org.bytedeco.pytorch.OutputArchive();
    archive.write("w", org.sbgm.torch.Torch.tensor(new double[] {1, 2, 3}, 3));
    Path[] seen = new Path[1];
    AtomicFiles.writeFile(target, temp -> {
      seen[0] = temp;
      assertEquals(dir, temp.getParent(), "the temporary file lies beside the target");
      assertEquals(false, Files.exists(temp), "the writer creates the file");
      archive.save_to(temp.toString());
    });
    assertEquals(List.of("weights.pt"), listing());
    org.bytedeco.pytorch.InputArchive in = new org.bytedeco.pytorch.InputArchive();
    in.load_from(target.toString());
    org.bytedeco.pytorch.Tensor w = new org.bytedeco.pytorch.Tensor();
    in.read("w", w);
    assertArrayEquals(new double[] {1, 2, 3}, org.sbgm.torch.Torch.toDoubles(w), 0.0);
  }

  @Test
  void aFailingNativeWriterLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
    org.sbgm.torch.Torch.init();
    Path target = dir.resolve("weights.pt");
    Files.writeString(target, "old weights");
    org.bytedeco.pytorch.OutputArchive archive = new org.bytedeco.pytorch.OutputArchive();
    archive.write("w", org.sbgm.torch.Torch.tensor(new double[] {1, 2, 3}, 3));
    // libtorch itself fails (the path below the temporary file is not a directory)...
    assertThrows(RuntimeException.class, () -> AtomicFiles.writeFile(target, temp -> {
      Files.writeString(temp, "partial");
      archive.save_to(temp.resolve("inside").toString());
    }));
    // ... a writer completes its file and then fails ...
    assertThrows(IOException.class, () -> AtomicFiles.writeFile(target, temp -> {
      archive.save_to(temp.toString());
      throw new IOException("verification failed");
    }));
    // ... or creates nothing at all.
    IOException none = assertThrows(IOException.class, () -> AtomicFiles.writeFile(target, temp -> { }));
    assertEquals(true, none.getMessage().contains("created no file"), none.getMessage());
    assertEquals("old weights", Files.readString(target));
    assertEquals(List.of("weights.pt"), listing());
  }

  @Test
  void keepsTheReplacedFileAsThePreviousAndAFailureTouchesNeither() throws IOException {
    Path target = dir.resolve("checkpoint.pt");
    Path previous = dir.resolve("checkpoint.prev.pt");
    AtomicFiles.writeKeepingPrevious(target, previous, out -> out.write(1));
    assertEquals(List.of("checkpoint.pt"), listing(), "no previous without a replaced file");
    AtomicFiles.writeKeepingPrevious(target, previous, out -> out.write(2));
    AtomicFiles.writeKeepingPrevious(target, previous, out -> out.write(3));
    assertArrayEquals(new byte[] {3}, Files.readAllBytes(target));
    assertArrayEquals(new byte[] {2}, Files.readAllBytes(previous));
    assertThrows(IOException.class, () -> AtomicFiles.writeKeepingPrevious(target, previous, out -> {
      out.write(new byte[100_000]);
      throw new IOException("disk full");
    }));
    assertArrayEquals(new byte[] {3}, Files.readAllBytes(target));
    assertArrayEquals(new byte[] {2}, Files.readAllBytes(previous));
    assertEquals(List.of("checkpoint.prev.pt", "checkpoint.pt"), listing());
  }
}
