package org.sbgm.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.sbgm.io.BadFiles;
import org.sbgm.io.Manifest;
import org.sbgm.io.Npy;
import org.sbgm.io.Npz;
import org.sbgm.model.Training;
import org.sbgm.torch.Torch;

/**
 * Writes the malformed-input corpus ({@code src/test/resources/malformed/}): every file that
 * {@code cases.txt} lists, from hand-made bytes ({@link BadFiles}) and, for checkpoints and model
 * directories, from a real two-step training run that is then damaged. Run it after a change of a file
 * format, from the module folder:
 *
 * <pre>
 *   java -cp "target/test-classes:target/classes:..." org.sbgm.cli.MalformedCorpus src/test/resources/malformed
 * </pre>
 *
 * (the test {@code MalformedInputTest} says how, with the class path of the test run). The files are
 * committed, so the tests need nothing but the repository.
 */
public final class MalformedCorpus {
  private MalformedCorpus() {}

  /** The run configuration of the checkpoint and model cases (also {@code good/tiny.yaml}). */
  static final String TINY = String.join("\n",
      "data: {source: toy, name: eight-gaussians, n: 400, seed: 1, validation: 0.1}",
      "network: {type: mlp, width: 8, depth: 1, timeEmbedding: {kind: fourier, dim: 4, scale: 4}}",
      "training: {steps: 2, batchSize: 64, lr: 2e-3, warmupSteps: 1, validateEvery: 0, checkpointEvery: 1, seed: 3}",
      "");

  public static void main(String[] args) throws Exception {
    write(Path.of(args[0]));
  }

  static void write(Path root) throws Exception {
    Torch.init();
    Torch.setThreads(1);
    good(root.resolve("good"));
    npy(root.resolve("npy"));
    npz(root.resolve("npz"));
    idx(root.resolve("idx"));
    csv(root.resolve("csv"));
    png(root.resolve("png"));
    config(root.resolve("config"));
    mixture(root.resolve("mixture"));
    trained(root);
  }

  private static Path put(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  private static Path text(Path file, String text) throws IOException {
    return put(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] f8(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  private static void good(Path dir) throws IOException {
    text(dir.resolve("mixture2d.json"), "{\"weights\": [0.5, 0.5], \"means\": [[-2, 0], [2, 0]], "
        + "\"covariances\": [[[0.5, 0], [0, 0.5]], [[0.5, 0.2], [0.2, 0.5]]]}\n");
    put(dir.resolve("points2d.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(3, 2)"), f8(0, 1, 2, 0.5, -1, -2)));
    text(dir.resolve("tiny.yaml"), TINY);
    put(dir.resolve("existing-output.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(1,)"), f8(42)));
  }

  private static void npy(Path dir) throws IOException {
    byte[] six = f8(0, 1, 2, 3, 4, 5);
    byte[] valid = BadFiles.npy(BadFiles.dict("<f8", false, "(3, 2)"), six);
    put(dir.resolve("bad-magic.npy"), "PK\3\4 this is a zip, not an array".getBytes(StandardCharsets.ISO_8859_1));
    put(dir.resolve("empty.npy"), new byte[0]);
    put(dir.resolve("truncated-header.npy"), Arrays.copyOf(valid, 40));
    byte[] version = valid.clone();
    version[6] = 9;
    put(dir.resolve("bad-version.npy"), version);
    put(dir.resolve("garbled-dict.npy"), BadFiles.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2}", six));
    put(dir.resolve("missing-key.npy"), BadFiles.npy("{'descr': '<f8', 'fortran_order': False, }", six));
    put(dir.resolve("complex-dtype.npy"), BadFiles.npy(BadFiles.dict("<c16", false, "(3,)"), six));
    put(dir.resolve("unicode-dtype.npy"), BadFiles.npy(BadFiles.dict("<U8", false, "(3, 2)"), six));
    put(dir.resolve("big-endian.npy"), BadFiles.npy(BadFiles.dict(">f8", false, "(3, 2)"), six));
    put(dir.resolve("fortran-order.npy"), BadFiles.npy(BadFiles.dict("<f8", true, "(3, 2)"), six));
    put(dir.resolve("object-array.npy"), BadFiles.npy(BadFiles.dict("|O", false, "(3,)"), new byte[] {(byte) 0x80, 2, ']', 'q', 0, '.'}));
    put(dir.resolve("structured-dtype.npy"), BadFiles.npy("{'descr': [('x', '<f8'), ('y', '<f8')], 'fortran_order': False, 'shape': (3,), }", six));
    put(dir.resolve("bytes-after-data.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(2, 2)"), six));
    put(dir.resolve("shape-beyond-data.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(30, 2)"), six));
    put(dir.resolve("truncated-data.npy"), Arrays.copyOf(valid, valid.length - 20));
    put(dir.resolve("trillion-elements.npy"), BadFiles.npy(BadFiles.dict("<f4", false, "(1000000, 1000000)"), six));
    put(dir.resolve("overflowing-shape.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(4294967296, 4294967296, 4294967296)"), six));
    put(dir.resolve("nan-values.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(3, 2)"), f8(0, 1, 2, Double.NaN, 4, 5)));
    put(dir.resolve("wrong-shape.npy"), BadFiles.npy(BadFiles.dict("<f8", false, "(2, 3)"), six));
  }

  private static void npz(Path dir) throws IOException {
    byte[] member = BadFiles.npy(BadFiles.dict("<f8", false, "(3, 2)"), f8(0, 1, 2, 3, 4, 5));
    put(dir.resolve("not-a-zip.npz"), "x,y\n1,2\n".getBytes(StandardCharsets.US_ASCII));
    byte[] two = BadFiles.zip(true, "x.npy", member, "y.npy", member);
    put(dir.resolve("truncated.npz"), Arrays.copyOf(two, two.length / 2));
    put(dir.resolve("two-arrays.npz"), two);
    put(dir.resolve("no-arrays.npz"), BadFiles.zip(true, "readme.txt", "no arrays here".getBytes(StandardCharsets.US_ASCII)));
    byte[] corrupt = BadFiles.zip(true, "x.npy", BadFiles.npy(BadFiles.dict("<f8", false, "(64, 2)"), new byte[1024]));
    for (int i = 45; i < 60; i++) {
      corrupt[i] ^= 0x5a; // inside the deflated data of the first member
    }
    put(dir.resolve("corrupt-member.npz"), corrupt);
    put(dir.resolve("absurd-declared-size.npz"), BadFiles.forgeUncompressedSizes(BadFiles.zip(true, "x.npy", member), 0xF0000000L));
    put(dir.resolve("member-not-npy.npz"), BadFiles.zip(false, "x.npy", "a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII)));
  }

  private static void idx(Path dir) throws IOException {
    put(dir.resolve("bad-magic-idx3-ubyte"), BadFiles.idx(0x08030000, new long[] {1, 2, 2}, new byte[4]));
    put(dir.resolve("truncated-header-idx3-ubyte"), Arrays.copyOf(BadFiles.idx(0x00000803, new long[] {10, 4, 4}, new byte[0]), 9));
    put(dir.resolve("truncated-data-idx3-ubyte"), BadFiles.idx(0x00000803, new long[] {10, 4, 4}, new byte[50]));
    put(dir.resolve("bytes-after-data-idx3-ubyte"), BadFiles.idx(0x00000803, new long[] {2, 2, 2}, new byte[12]));
    put(dir.resolve("huge-shape-idx3-ubyte"), BadFiles.idx(0x00000803, new long[] {4294967295L, 4294967295L, 4294967295L}, new byte[8]));
    byte[] gz = gzip(BadFiles.idx(0x00000803, new long[] {4, 2, 2}, new byte[16]));
    byte[] damaged = gz.clone();
    for (int i = 12; i < damaged.length - 8; i++) {
      damaged[i] ^= (byte) 0xa5;
    }
    put(dir.resolve("corrupt-gzip-idx3-ubyte.gz"), damaged);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  private static void csv(Path dir) throws IOException {
    text(dir.resolve("ragged-rows.csv"), "x,y\n1,2\n3,4,5\n6,7\n");
    text(dir.resolve("text-cell.csv"), "1,2\n3,abc\n");
    text(dir.resolve("nan-cell.csv"), "1,2\nNaN,4\n");
    text(dir.resolve("header-only.csv"), "x,y\n");
    text(dir.resolve("three-columns.csv"), "1,2,3\n4,5,6\n");
  }

  private static void png(Path dir) throws IOException {
    put(dir.resolve("not-png/a.png"), "this is text, not an image\n".getBytes(StandardCharsets.US_ASCII));
    put(dir.resolve("mixed-sizes/a.png"), image(4, 4));
    put(dir.resolve("mixed-sizes/b.png"), image(5, 4));
    text(dir.resolve("no-png/readme.txt"), "no images here\n");
    byte[] corrupt = image(6, 6);
    for (int i = 41; i < corrupt.length - 12; i++) {
      corrupt[i] ^= 0x3c; // the compressed pixels of the IDAT chunk
    }
    put(dir.resolve("corrupt-pixels/a.png"), corrupt);
    put(dir.resolve("huge-header/a.png"), BadFiles.pngHeader(100_000, 100_000));
  }

  private static byte[] image(int w, int h) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 37 + y * 11) % 256);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static void config(Path dir) throws IOException {
    String good = TINY;
    text(dir.resolve("unknown-key.yaml"), good.replace("steps: 2,", "stpes: 2,"));
    text(dir.resolve("wrong-type.yaml"), good.replace("width: 8", "width: wide"));
    text(dir.resolve("fractional-integer.yaml"), good.replace("steps: 2,", "steps: 2.5,"));
    text(dir.resolve("out-of-range.yaml"), good.replace("lr: 2e-3", "lr: -1"));
    text(dir.resolve("unknown-network.yaml"), good.replace("type: mlp", "type: transformer"));
    text(dir.resolve("unknown-sde.yaml"), good + "sde: {type: edm}\n");
    text(dir.resolve("list-for-mapping.yaml"), good.replace("network: {", "network: [").replace("scale: 4}}", "scale: 4}]"));
    text(dir.resolve("not-yaml.yaml"), good + "  : : [\n");
    text(dir.resolve("empty.yaml"), "\n");
    text(dir.resolve("trailing-comma.json"), "{\"data\": {\"source\": \"toy\", \"name\": \"moons\"},}\n");
    text(dir.resolve("validation-without-holdout.yaml"), good.replace("validation: 0.1", "validation: 0").replace("validateEvery: 0", "validateEvery: 1"));
    text(dir.resolve("missing-data-file.yaml"), good.replace("{source: toy, name: eight-gaussians, n: 400, seed: 1, validation: 0.1}",
        "{source: file, path: absent.npy, validation: 0.1}"));
    text(dir.resolve("npz-missing-array.yaml"), good.replace("{source: toy, name: eight-gaussians, n: 400, seed: 1, validation: 0.1}",
        "{source: file, path: ../npz/two-arrays.npz, array: z, validation: 0.1}"));
    text(dir.resolve("nan-data.yaml"), good.replace("{source: toy, name: eight-gaussians, n: 400, seed: 1, validation: 0.1}",
        "{source: file, path: ../npy/nan-values.npy, validation: 0}"));
    text(dir.resolve("alias-bomb.yaml"), good + org.sbgm.config.HostileYaml.aliasBomb());
    text(dir.resolve("deep-nesting.yaml"), good + "extra: " + "[".repeat(100) + "]".repeat(100) + "\n");
    text(dir.resolve("big-scalar.yaml"), good + "note: \"" + "x".repeat(10 << 20) + "\"\n");
  }

  private static void mixture(Path dir) throws IOException {
    text(dir.resolve("not-positive-definite.json"), "{\"weights\": [1.0], \"means\": [[0, 0]], \"covariances\": [[[1, 2], [2, 1]]]}\n");
    text(dir.resolve("weights-not-summing-to-one.json"), "{\"weights\": [0.5, 0.6], \"means\": [[0, 0], [1, 1]], "
        + "\"covariances\": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}\n");
    text(dir.resolve("nan-mean.json"), "{\"weights\": [1.0], \"means\": [[NaN, 0]], \"covariances\": [[[1, 0], [0, 1]]]}\n");
    text(dir.resolve("not-json.json"), "weights: [1.0]\n");
    text(dir.resolve("missing-covariances.json"), "{\"weights\": [1.0], \"means\": [[0, 0]]}\n");
    text(dir.resolve("mismatched-dimensions.json"), "{\"weights\": [1.0], \"means\": [[0, 0, 0]], \"covariances\": [[[1, 0], [0, 1]]]}\n");
    text(dir.resolve("negative-weight.json"), "{\"weights\": [1.5, -0.5], \"means\": [[0, 0], [1, 1]], "
        + "\"covariances\": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}\n");
    text(dir.resolve("asymmetric-covariance.json"), "{\"weights\": [1.0], \"means\": [[0, 0]], \"covariances\": [[[1, 0.5], [0.2, 1]]]}\n");
  }

  /** Checkpoint and model-directory cases, damaged copies of a real two-step run of {@link #TINY}. */
  private static void trained(Path root) throws Exception {
    Path work = Files.createTempDirectory("corpus-run");
    Path config = text(work.resolve("tiny.yaml"), TINY);
    Path run = work.resolve("run");
    try (PointerScope scope = new PointerScope()) {
      Training.fromFile(config).run(run);
    }
    byte[] checkpoint = Files.readAllBytes(run.resolve("checkpoint.pt"));
    Path ck = root.resolve("checkpoint");
    put(ck.resolve("truncated/checkpoint.pt"), Arrays.copyOf(checkpoint, checkpoint.length / 2));
    byte[] flipped = checkpoint.clone();
    flipped[flipped.length / 2] ^= 0x01;
    put(ck.resolve("flipped-byte/checkpoint.pt"), flipped);
    byte[] version = checkpoint.clone();
    version[11] = 7; // the container's big-endian format version
    put(ck.resolve("unknown-container-version/checkpoint.pt"), version);
    put(ck.resolve("unknown-schema-version/checkpoint.pt"), withMetadata(checkpoint, "version=3", "version=4"));
    put(ck.resolve("other-configuration/checkpoint.pt"), withMetadata(checkpoint, "config.batchSize=64", "config.batchSize=32"));
    put(ck.resolve("not-a-checkpoint/checkpoint.pt"), "PK\3\4 a zip file, not a checkpoint".getBytes(StandardCharsets.ISO_8859_1));

    Path md = root.resolve("model");
    Path missingWeights = copyModel(run, md.resolve("missing-weights"));
    Files.delete(missingWeights.resolve("weights.pt"));
    Path missingManifest = copyModel(run, md.resolve("missing-manifest"));
    Files.delete(missingManifest.resolve("manifest.sha256"));
    Path missingListed = copyModel(run, md.resolve("missing-listed-file"));
    Files.delete(missingListed.resolve("metrics.csv"));
    Path changed = copyModel(run, md.resolve("changed-weights"));
    byte[] w = Files.readAllBytes(changed.resolve("weights.pt"));
    w[w.length / 2] ^= 0x10;
    Files.write(changed.resolve("weights.pt"), w);
    Path unlisted = copyModel(run, md.resolve("unlisted-file"));
    text(unlisted.resolve("notes.txt"), "added after training\n");
    Path wrongType = copyModel(run, md.resolve("wrong-type"));
    Files.writeString(wrongType.resolve("model.yaml"), Files.readString(wrongType.resolve("model.yaml")).replace("width: 8", "width: eight"));
    Manifest.write(wrongType);
    Path format = copyModel(run, md.resolve("unknown-format"));
    Files.writeString(format.resolve("model.yaml"), Files.readString(format.resolve("model.yaml")).replace("sbgm-model/1", "sbgm-model/9"));
    Manifest.write(format);
    Path shape = copyModel(run, md.resolve("weights-of-another-network"));
    Files.writeString(shape.resolve("model.yaml"), Files.readString(shape.resolve("model.yaml")).replace("width: 8", "width: 16"));
    Manifest.write(shape);
    Path garbage = copyModel(run, md.resolve("weights-not-an-archive"));
    Files.writeString(garbage.resolve("weights.pt"), "not a libtorch archive\n");
    Manifest.write(garbage);
    text(md.resolve("a-file-not-a-directory"), "model.yaml belongs in a directory\n");
  }

  private static Path copyModel(Path run, Path to) throws IOException {
    Files.createDirectories(to);
    for (String f : new String[] {"model.yaml", "weights.pt", "metrics.csv", "manifest.sha256"}) {
      Files.copy(run.resolve(f), to.resolve(f));
    }
    Manifest.write(to); // over the copied files only (no checkpoint)
    return to;
  }

  /** The checkpoint with one metadata line replaced and its checksum recomputed: a well-formed container. */
  private static byte[] withMetadata(byte[] checkpoint, String from, String to) throws Exception {
    ByteBuffer in = ByteBuffer.wrap(checkpoint);
    int header = 8 + 4 + 8 + 32;
    in.position(header);
    int metaLength = in.getInt();
    byte[] meta = new byte[metaLength];
    in.get(meta);
    byte[] archive = new byte[in.remaining()];
    in.get(archive);
    String text = new String(meta, StandardCharsets.UTF_8);
    if (!text.contains(from + "\n")) {
      throw new IllegalStateException("the checkpoint's metadata has no line " + from + ":\n" + text);
    }
    byte[] newMeta = text.replace(from + "\n", to + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(4 + newMeta.length + archive.length);
    payload.putInt(newMeta.length).put(newMeta).put(archive);
    byte[] p = payload.array();
    ByteBuffer out = ByteBuffer.allocate(header + p.length);
    out.put(Arrays.copyOf(checkpoint, 12)).putLong(p.length).put(MessageDigest.getInstance("SHA-256").digest(p)).put(p);
    return out.array();
  }
}
