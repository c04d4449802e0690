package org.sbgm.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;

/**
 * Reads and writes NumPy's {@code .npz} archives: a zip file (stored or deflated, ZIP64 allowed)
 * whose entry {@code name.npy} holds the array called {@code name}, as written by
 * {@code numpy.savez} and {@code numpy.savez_compressed}.
 */
public final class Npz {
  private Npz() {}

  /** The array names in the archive, in archive order. */
  public static List<String> names(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = open(file)) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.endsWith(".npy")) {
          names.add(n.substring(0, n.length() - 4));
        }
      }
    }
    return names;
  }

  /** Every array of the archive by name, in archive order. */
  public static Map<String, NdArray> read(Path file) throws IOException {
    Map<String, NdArray> out = new LinkedHashMap<>();
    try (ZipFile zip = open(file)) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (entry.getName().endsWith(".npy")) {
          String name = entry.getName().substring(0, entry.getName().length() - 4);
          out.put(name, raw(zip, entry, file).toArray());
        }
      }
    }
    return out;
  }

  /** The array called {@code name} as an {@link NdArray}. */
  public static NdArray read(Path file, String name) throws IOException {
    try (ZipFile zip = open(file)) {
      return raw(zip, entry(zip, file, name), file).toArray();
    }
  }

  /** The array called {@code name} as a CPU tensor of its own element type. */
  public static Tensor readTensor(Path file, String name) throws IOException {
    try (ZipFile zip = open(file)) {
      return raw(zip, entry(zip, file, name), file).toTensor();
    }
  }

  /** The array called {@code name} as a CPU tensor converted to {@code dtype}. */
  public static Tensor readTensor(Path file, String name, DType dtype) throws IOException {
    return readTensor(file, name).to(dtype.scalarType());
  }

  /**
   * Writes {@code arrays} (name to tensor, in map order) as a {@code .npz} archive, deflated when
   * {@code compressed} (like {@code numpy.savez_compressed}) else stored (like {@code numpy.savez}).
   */
  public static void write(Path file, Map<String, Tensor> arrays, boolean compressed) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().contains("/")) {
        throw new InvalidInputException("array name '" + e.getKey() + "' must be non-empty and contain no '/'");
      }
      entries.put(e.getKey() + ".npy", Npy.toBytes(e.getValue()));
    }
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        byte[] bytes = e.getValue();
        if (compressed) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          CRC32 crc = new CRC32();
          crc.update(bytes);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(bytes.length);
          entry.setCompressedSize(bytes.length);
          entry.setCrc(crc.getValue());
        }
        entry.setTime(315532800000L); // 1980-01-01, as NumPy writes, so archives are reproducible
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
      }
      zip.close(); // finishes the archive; the atomic writer still owns the file
    });
  }

  private static ZipFile open(Path file) throws IOException {
    try {
      ZipFile zip = new ZipFile(file.toFile());
      try {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          e.nextElement(); // decodes every entry name now, so a malformed one fails here
        }
      } catch (IllegalArgumentException e) {
        zip.close();
        throw e;
      }
      return zip;
    } catch (java.util.zip.ZipException | java.io.EOFException | IllegalArgumentException e) {
      throw new InvalidInputException("File '" + file + "' is not a valid .npz (zip) archive: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ".", e);
    }
  }

  private static ZipEntry entry(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name + ".npy");
    if (entry == null) {
      throw new InvalidInputException("Archive '" + file + "' has no array '" + name + "'; it holds " + names(file) + ".");
    }
    return entry;
  }

  /**
   * The member's array, after its declared sizes were checked against each other, against the archive's
   * size and against the most deflate can expand (about 1032 to 1), and its .npy header against the
   * declared size, all before any data are read.
   */
  private static Npy.Raw raw(ZipFile zip, ZipEntry entry, Path file) throws IOException {
    String member = file + "!" + entry.getName();
    long size = entry.getSize();
    long compressed = entry.getCompressedSize();
    long archive = java.nio.file.Files.size(file);
    if (compressed > archive) {
      throw new InvalidInputException("Entry '" + entry.getName() + "' of archive '" + file + "' declares " + compressed
          + " compressed bytes, but the archive holds only " + archive + ".");
    }
    if (size > DeclaredSize.MAX_BYTES + MAX_HEADER) {
      throw new InvalidInputException("Entry '" + entry.getName() + "' of archive '" + file + "' declares " + size
          + " bytes; at most " + DeclaredSize.MAX_BYTES + " bytes (2 GiB) per array are supported.");
    }
    if (size >= 0 && compressed >= 0 && (entry.getMethod() == ZipEntry.STORED ? size != compressed
        : size > MAX_DEFLATE_RATIO * compressed + 1024)) {
      throw new InvalidInputException("Entry '" + entry.getName() + "' of archive '" + file + "' declares " + size
          + " bytes from " + compressed + " " + (entry.getMethod() == ZipEntry.STORED ? "stored" : "compressed")
          + " bytes, which " + (entry.getMethod() == ZipEntry.STORED ? "must be equal" : "deflate cannot produce")
          + "; the archive is corrupt.");
    }
    try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
      return Npy.read(in, member, size);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new InvalidInputException("Entry '" + entry.getName() + "' of archive '" + file + "' is corrupt: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ".", e);
    }
  }

  /** Bytes allowed for a member's .npy header beyond its data. */
  private static final long MAX_HEADER = (1 << 24) + 16;
  /** Deflate expands at most about 1032 times (a 258-byte match per 2 bits). */
  private static final long MAX_DEFLATE_RATIO = 1033;
}
