package org.sbgm.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One phrase for a failed file operation, for messages: the file and the operating system's reason
 * ({@code '/runs/a/.checkpoint.pt.1f.tmp': No space left on device}). The JDK's own messages of
 * {@link AccessDeniedException} and friends are only the path.
 */
public final class IoFailures {
  private IoFailures() {}

  /** The file and the reason of {@code e}, or its message when it names no file. */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String reason = f.getReason() != null ? f.getReason()
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof FileAlreadyExistsException ? "it already exists"
          : e instanceof DirectoryNotEmptyException ? "the directory is not empty"
          : e instanceof NotDirectoryException ? "not a directory"
          : e.getClass().getSimpleName();
      return "'" + f.getFile() + "'" + (f.getOtherFile() == null ? "" : " -> '" + f.getOtherFile() + "'") + ": " + reason;
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
