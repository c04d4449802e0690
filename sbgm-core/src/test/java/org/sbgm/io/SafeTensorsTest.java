package org.sbgm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.python.PythonFixtures;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class SafeTensorsTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  @Test
  void readsEveryDtypeAsPythonWroteIt() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      SafeTensors.Contents c = SafeTensors.read(PythonFixtures.copy("dtypes.safetensors", dir));
      Map<String, Tensor> expected = PythonFixtures.arrays("dtypes.npz", dir);
      assertEquals(Map.of("format", "pt", "note", "every dtype"), c.metadata());
      assertEquals(List.of("i64", "f64", "empty", "f32", "scalar", "température.π", "i32", "bf16", "f16", "i16", "i8", "u8", "bool"),
          List.copyOf(c.tensors().keySet()), "header order = data order: the Hugging Face writer's dtype order, then name");
      Map<String, torch.ScalarType> types = Map.ofEntries(Map.entry("f64", torch.ScalarType.Double),
          Map.entry("f32", torch.ScalarType.Float), Map.entry("f16", torch.ScalarType.Half),
          Map.entry("i64", torch.ScalarType.Long), Map.entry("i32", torch.ScalarType.Int),
          Map.entry("i16", torch.ScalarType.Short), Map.entry("i8", torch.ScalarType.Char),
          Map.entry("u8", torch.ScalarType.Byte), Map.entry("bool", torch.ScalarType.Bool),
          Map.entry("scalar", torch.ScalarType.Float), Map.entry("empty", torch.ScalarType.Float),
          Map.entry("température.π", torch.ScalarType.Float), Map.entry("bf16", torch.ScalarType.BFloat16));
      for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
        Tensor t = e.getValue();
        assertEquals(types.get(e.getKey()), t.scalar_type().intern(), e.getKey());
        String npz = e.getKey().equals("température.π") ? "nonascii" : e.getKey().equals("bf16") ? "bf16_bits" : e.getKey();
        Tensor want = expected.get(npz);
        assertArrayEquals(Torch.shape(want), Torch.shape(t), e.getKey());
        Tensor got = e.getKey().equals("bf16") ? t.view(torch.ScalarType.Short).to(torch.ScalarType.Int) : t.to(want.scalar_type());
        assertTrue(torch.equal(got, want), e.getKey() + " differs from NumPy's values");
      }
      assertEquals(0, c.tensors().get("scalar").dim());
      assertEquals(2.5, c.tensors().get("scalar").item_double());
      assertEquals(1L << 62, -c.tensors().get("i64").get(0).item_long(), "int64 values beyond 2^53 stay exact");
    }
  }

  @Test
  void writesTheSameBytesAsTheNumpyWriter() throws IOException {
    Path python = PythonFixtures.copy("dtypes.safetensors", dir);
    try (PointerScope scope = new PointerScope()) {
      SafeTensors.Contents c = SafeTensors.read(python);
      Map<String, Tensor> shuffled = new LinkedHashMap<>();
      List.of("u8", "bool", "f32", "bf16", "empty", "f64", "i8", "i16", "température.π", "scalar", "i32", "f16", "i64")
          .forEach(k -> shuffled.put(k, c.tensors().get(k)));
      Path ours = dir.resolve("ours.safetensors");
      SafeTensors.write(ours, shuffled, Map.of("note", "every dtype", "format", "pt"));
      assertArrayEquals(Files.readAllBytes(python), Files.readAllBytes(ours));
    }
  }

  @Test
  void roundTripsBitForBitIncludingNonContiguousTensors() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Tensor a = Torch.randn(new long[] {3, 5}, Torch.generator(1), Torch.options(DType.FLOAT32));
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      tensors.put("transposed", a.t());
      tensors.put("double", a.to(torch.ScalarType.Double).mul(Torch.scalar(Math.PI)));
      tensors.put("half", a.to(torch.ScalarType.Half));
      tensors.put("bf16", a.to(torch.ScalarType.BFloat16));
      tensors.put("long", torch.arange(Torch.scalar(7)).mul(Torch.scalar(Long.MAX_VALUE / 8)));
      tensors.put("mask", a.gt(Torch.scalar(0)));
      Path file = dir.resolve("round.safetensors");
      SafeTensors.write(file, tensors, null);
      SafeTensors.Contents back = SafeTensors.read(file);
      assertEquals(Map.of(), back.metadata());
      assertEquals(tensors.keySet(), back.tensors().keySet());
      for (String k : tensors.keySet()) {
        assertEquals(tensors.get(k).scalar_type().intern(), back.tensors().get(k).scalar_type().intern(), k);
        assertTrue(torch.equal(tensors.get(k), back.tensors().get(k)), k);
      }
      assertEquals(0, (Files.size(file) - 8 - SafeTensors.readHeader(file).dataBytes()) % 8, "header padded to 8 bytes");
    }
  }

  /** A file of a raw 8-byte length, header text and data bytes. */
  private Path file(String name, long headerLength, String header, int dataBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
    out.write(header.getBytes(StandardCharsets.UTF_8));
    out.write(new byte[dataBytes]);
    Path p = dir.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  private Path file(String name, String header, int dataBytes) throws IOException {
    return file(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  private void refused(Path file, String fragment) {
    String msg = assertThrows(InvalidInputException.class, () -> SafeTensors.read(file)).getMessage();
    assertTrue(msg.startsWith("File '" + file + "' ") && msg.contains(fragment), msg);
    assertEquals(1, msg.split("\\. ").length, "one sentence: " + msg);
  }

  @Test
  void refusesMalformedFilesBeforeAllocatingAnything() throws IOException {
    String f32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}";
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    refused(tiny, "fewer than the 8-byte header length");
    refused(file("huge-header.safetensors", 1L << 40, f32, 24), "at most 100000000 are allowed");
    refused(file("negative-header.safetensors", -5, f32, 24), "at most 100000000 are allowed");
    refused(file("short-header.safetensors", 500, f32, 24), "only " + (f32.length() + 24) + " bytes follow the length");
    refused(file("array.safetensors", "[1, 2]", 0), "does not start with '{'");
    refused(file("syntax.safetensors", "{\"a\": {\"dtype\": \"F32\",}}", 0), "malformed JSON header: expected a quoted key at character 22");
    refused(file("twice.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", 8), "the key \"a\" appears twice");
    refused(file("dtype.safetensors", f32.replace("F32", "F8_E4M3"), 24), "dtype 'F8_E4M3', but only F64, F32");
    refused(file("shape.safetensors", f32.replace("[2,3]", "[2,-3]"), 24), "holding -3; expected non-negative integers");
    refused(file("size.safetensors", f32.replace("[0,24]", "[0,20]"), 20), "expected a range of 24 bytes");
    refused(file("key.safetensors", f32.replace("\"shape\"", "\"shap\""), 24), "unknown key 'shap'");
    refused(file("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", 24), "without gaps or overlaps");
    refused(file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "the previous tensor 'a' ends at 8");
    refused(file("truncated.safetensors", f32, 16), "holds 16 data bytes after its header, but its tensors account for 24 (is it truncated?)");
    refused(file("trailing.safetensors", f32, 32), "holds 32 data bytes after its header, but its tensors account for 24");
    refused(file("meta.safetensors", "{\"__metadata__\":{\"n\":3}}", 0), "value 'n' that is not a string");
    // a header that promises a 4 TB tensor in a 100-byte file: refused from the sizes, nothing allocated
    refused(file("promise.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}", 8),
        "tensors account for 4000000000000");
    refused(file("overflow.safetensors", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387903,4],\"data_offsets\":[0,8]}}", 8),
        "too large to hold");
  }

  @Test
  void refusesTensorsItCannotWrite() {
    try (PointerScope scope = new PointerScope()) {
      Tensor complex = torch.empty(new long[] {2}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.ComplexFloat), null);
      String msg = assertThrows(InvalidInputException.class,
          () -> SafeTensors.write(dir.resolve("c.safetensors"), Map.of("c", complex), null)).getMessage();
      assertTrue(msg.contains("cannot be written to safetensors"), msg);
      assertTrue(!Files.exists(dir.resolve("c.safetensors")));
    }
  }
}
