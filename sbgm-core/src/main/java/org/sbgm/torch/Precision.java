package org.sbgm.torch;

import java.util.Locale;
import org.sbgm.InvalidInputException;

/**
 * The arithmetic of a training step's forward pass and loss. {@link #FP32}: everything in float32.
 * {@link #BF16}: the forward pass and the loss under bfloat16 autocast ({@link Autocast}) — matrix
 * products and convolutions in bfloat16, GroupNorm and the loss in float32 — while the weights,
 * gradients, EMA and AdamW state stay float32. Sampling and likelihoods are not affected.
 */
public enum Precision {
  FP32("fp32"),
  BF16("bf16");

  /** The names {@link #parse} accepts. */
  public static final java.util.List<String> NAMES = java.util.List.of("fp32", "bf16");

  private final String label;

  Precision(String label) {
    this.label = label;
  }

  /** The configuration name: {@code fp32} or {@code bf16}. */
  public String label() {
    return label;
  }

  /** Parses {@code fp32} or {@code bf16} (any case; also {@code float32}, {@code bfloat16}). */
  public static Precision parse(String s) {
    switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
      case "fp32": case "float32": return FP32;
      case "bf16": case "bfloat16": return BF16;
      default: throw new InvalidInputException(
          "precision must be fp32 or bf16, got " + (s == null ? "nothing" : "'" + s + "'"));
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
