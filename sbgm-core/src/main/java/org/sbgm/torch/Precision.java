package org.sbgm.torch;

import java.util.Locale;
import org.sbgm.InvalidInputException;

/**
 * The arithmetic of a training step's forward pass and loss. {@link #FP32}: everything in float32.
 * {@link #BF16}: the forward pass and the loss under bfloat16 autocast ({@link Autocast}) — matrix
 * products and convolutions in bfloat16, GroupNorm's statistics and the loss in float32 — while the weights,
 * gradients, EMA and AdamW state stay float32. Sampling and likelihoods are not affected.
 * {@link #BF16_EMULATED}: the same bfloat16 arithmetic even where the device has no native bfloat16
 * (libtorch then emulates it, slower than float32): for checking on such a machine how a bfloat16 run
 * trains before running it where bfloat16 is fast. {@link #BF16} falls back to float32 there instead.
 */
public enum Precision {
  FP32("fp32"),
  BF16("bf16"),
  BF16_EMULATED("bf16-emulated");

  /** The names {@link #parse} accepts. */
  public static final java.util.List<String> NAMES = java.util.List.of("fp32", "bf16", "bf16-emulated");

  private final String label;

  Precision(String label) {
    this.label = label;
  }

  /** The configuration name: {@code fp32}, {@code bf16} or {@code bf16-emulated}. */
  public String label() {
    return label;
  }

  /** Whether the forward pass and loss run in bfloat16 ({@link #BF16} or {@link #BF16_EMULATED}). */
  public boolean isBf16() {
    return this != FP32;
  }

  /** Parses {@code fp32}, {@code bf16} or {@code bf16-emulated} (any case; also {@code float32}, {@code bfloat16}). */
  public static Precision parse(String s) {
    switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
      case "fp32": case "float32": return FP32;
      case "bf16": case "bfloat16": return BF16;
      case "bf16-emulated": case "bfloat16-emulated": return BF16_EMULATED;
      default: throw new InvalidInputException(
          "precision must be fp32, bf16 or bf16-emulated, got " + (s == null ? "nothing" : "'" + s + "'"));
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
