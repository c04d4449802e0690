package org.sbgm.train;

/** Derives independent 64-bit seeds for the generators of a run from its one seed (SplitMix64 mixing). */
final class Seeds {
  static final long TIME = 1;
  static final long NOISE = 2;
  static final long VALIDATION = 3;
  static final long DATA = 4;

  private Seeds() {}

  /** A well-mixed seed for stream {@code stream} of {@code seed}; non-negative. */
  static long mix(long seed, long stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }
}
