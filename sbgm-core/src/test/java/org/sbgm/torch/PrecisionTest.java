package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;

/** Precision names, the detection of native bfloat16 from CPU flags, and what an autocast scope changes. */
class PrecisionTest {
  @Test
  void namesParseAndBadOnesAreRejectedByName() {
    assertEquals(Precision.FP32, Precision.parse("fp32"));
    assertEquals(Precision.BF16, Precision.parse(" BF16 "));
    assertEquals(Precision.BF16, Precision.parse("bfloat16"));
    assertEquals(Precision.BF16_EMULATED, Precision.parse("bf16-emulated"));
    assertFalse(Precision.FP32.isBf16());
    assertTrue(Precision.BF16.isBf16() && Precision.BF16_EMULATED.isBf16());
    for (String name : Precision.NAMES) {
      assertEquals(name, Precision.parse(name).label());
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.parse("fp16"));
    assertEquals("precision must be fp32, bf16 or bf16-emulated, got 'fp16'", e.getMessage());
  }

  @Test
  void bfloat16IsNativeOnlyWithItsInstructionFlags() {
    assertTrue(Bf16Support.fromFlags("fpu avx2 avx512f avx512_bf16 avx512vl").supported());
    assertTrue(Bf16Support.fromFlags("fpu amx_bf16 amx_tile").supported());
    Bf16Support.Verdict none = Bf16Support.fromFlags("fpu sse avx2 avx512f avx512_vnni");
    assertFalse(none.supported());
    assertTrue(none.reason().contains("avx512_bf16"), none.reason());
    assertTrue(Bf16Support.fromCpuInfo("processor\t: 0\nflags\t\t: fpu avx512_bf16\n").supported());
    assertTrue(Bf16Support.fromCpuInfo("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n").supported());
    assertFalse(Bf16Support.fromCpuInfo("processor\t: 0\nmodel name\t: something\n").supported());
  }

  @Test
  void aFallbackToFloat32SaysWhyInOneLine() {
    Torch.init();
    Device cpu = new Device(torch.DeviceType.CPU);
    Bf16Support.Choice c = Bf16Support.choose(Precision.BF16, cpu);
    if (Bf16Support.cpu().supported()) {
      assertEquals(Precision.BF16, c.precision());
      assertEquals(null, c.notice());
    } else {
      assertEquals(Precision.FP32, c.precision());
      assertFalse(c.notice().contains("\n"));
      assertTrue(c.notice().startsWith("precision bf16 was asked for, but "), c.notice());
    }
    assertEquals(new Bf16Support.Choice(Precision.FP32, null), Bf16Support.choose(Precision.FP32, cpu));
    // emulated bfloat16 is kept as asked for, native or not
    assertEquals(new Bf16Support.Choice(Precision.BF16_EMULATED, null), Bf16Support.choose(Precision.BF16_EMULATED, cpu));
  }

  @Test
  void autocastRunsLinearLayersInBfloat16AndRestoresTheStateOnClose() {
    Torch.init();
    Device cpu = new Device(torch.DeviceType.CPU);
    torch.manual_seed(1);
    LinearImpl lin = new LinearImpl(8, 4);
    Tensor x = torch.randn(16, 8);
    Tensor fp32 = lin.forward(x);
    assertFalse(Autocast.cpuEnabled());
    Tensor bf16;
    try (Autocast outer = Autocast.of(Precision.BF16, cpu)) {
      assertTrue(Autocast.cpuEnabled());
      bf16 = lin.forward(x);
      assertEquals(torch.ScalarType.BFloat16, bf16.scalar_type().intern());
      try (Autocast inner = Autocast.of(Precision.BF16, cpu)) {
        assertTrue(Autocast.cpuEnabled());
      }
      assertTrue(Autocast.cpuEnabled(), "an inner scope's close leaves the outer one on");
      // element-wise ops on a float32 and a bfloat16 tensor promote to float32 (the loss stays float32)
      assertEquals(torch.ScalarType.Float, x.narrow(1, 0, 4).sub(bf16).scalar_type().intern());
    }
    assertFalse(Autocast.cpuEnabled());
    assertEquals(torch.ScalarType.Float, lin.forward(x).scalar_type().intern());
    assertEquals(torch.ScalarType.Float, lin.weight().scalar_type().intern());
    try (Autocast emulated = Autocast.of(Precision.BF16_EMULATED, cpu)) {
      assertEquals(torch.ScalarType.BFloat16, lin.forward(x).scalar_type().intern());
    }
    try (Autocast none = Autocast.of(Precision.FP32, cpu)) {
      assertFalse(Autocast.cpuEnabled());
    }
    // bfloat16 has an 8-bit mantissa: close to float32, but not equal
    double[] a = Torch.toDoubles(fp32);
    double[] b = Torch.toDoubles(bf16);
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    assertTrue(maxDiff > 0 && maxDiff < 0.05, "max |fp32 - bf16| = " + maxDiff);
  }
}
