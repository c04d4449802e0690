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
      return new ZipFile(file.toFile());
    } catch (java.util.zip.ZipException e) {
      throw new InvalidInputException("File '" + file + "' is not a valid .npz (zip) archive: " + e.getMessage() + ".", e);
    }
  }

  private static ZipEntry entry(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name + ".npy");
    if (entry == null) {
      throw new InvalidInputException("Archive '" + file + "' has no array '" + name + "'; it holds " + names(file) + ".");
    }
    return entry;
  }

  private static Npy.Raw raw(ZipFile zip, ZipEntry entry, Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
      return Npy.read(in, file + "!" + entry.getName());
    } catch (java.util.zip.ZipException e) {
      throw new InvalidInputException("Entry '" + entry.getName() + "' of archive '" + file + "' is corrupt: " + e.getMessage() + ".", e);
    }
  }
}
