package org.sbgm.nn;

/** The configuration of one of the library's networks; {@link #create} builds it deterministically from a seed. */
public sealed interface NetworkConfig permits MlpConfig, ResidualMlpConfig, UNetConfig, DiTConfig, MlpMixerConfig,
    TorchScriptConfig {
  /** A network with parameters drawn from a generator seeded with {@code seed} (same seed, same parameters). */
  Network create(long seed);
}
