package org.sbgm.torch;

import org.bytedeco.pytorch.Generator;

/**
 * The one seed mixer of the library: every generator of a run is seeded by {@link #derive} from the
 * run's one seed and a named {@link Stream}, so two streams of one seed (and one stream of two seeds)
 * never share a generator seed in practice, and a run replays from its seed alone.
 *
 * <p>The mixer is SplitMix64's (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
 * generators"): z = seed + (s + 1)·γ with γ = 0x9E3779B97F4A7C15 (the 64-bit golden ratio), then
 * z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9, z ← (z ⊕ z≫27)·0x94D049BB133111EB, z ⊕ z≫31. A stream with an
 * index (the data order of epoch e) mixes twice: mix(mix(seed, stream), index).
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /** The named streams of a run; the id is what the mixer sees, so it never changes for a stream. */
  public enum Stream {
    /** Diffusion times of the training loss. */
    TIME(1),
    /** Noise z of the training loss. */
    NOISE(2),
    /** Fixed validation times and noise (drawn once). */
    VALIDATION(3),
    /** Data order: the permutation of epoch e is drawn from derive(seed, DATA, e). */
    DATA(4),
    /** A network's own training-time noise (dropout masks, condition dropout), from its construction seed. */
    NETWORK(5),
    /**
     * libtorch's global CPU generator, which a training run seeds at its start: networks that do not
     * list their own generators (a TorchScript module's dropout) draw from it.
     */
    DEFAULT(6),
    /**
     * Sampling and posterior sampling: chunk i of a run (see {@code distributed.Shards}) draws from
     * derive(seed, SAMPLE, i), whatever the number of ranks.
     */
    SAMPLE(7),
    /** Log-likelihoods: Hutchinson probes and dequantisation noise of chunk i from derive(seed, LIKELIHOOD, i). */
    LIKELIHOOD(8);

    private final long id;

    Stream(long id) {
      this.id = id;
    }

    /** The stream number fed to the mixer. */
    public long id() {
      return id;
    }
  }

  private Seeds() {}

  /** SplitMix64 of {@code seed + (stream + 1)·γ}: a well-spread 64-bit seed for stream number {@code stream}. */
  public static long mix(long seed, long stream) {
    long z = seed + (stream + 1) * GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of {@code stream} of {@code seed}. */
  public static long derive(long seed, Stream stream) {
    return mix(seed, stream.id());
  }

  /** The seed of member {@code index} (e.g. the epoch) of {@code stream} of {@code seed}. */
  public static long derive(long seed, Stream stream, long index) {
    return mix(derive(seed, stream), index);
  }

  /** A new CPU generator seeded with {@link #derive(long, Stream) derive(seed, stream)} (retained, see {@link Torch#generator}). */
  public static Generator generator(long seed, Stream stream) {
    return Torch.generator(derive(seed, stream));
  }
}
