/**
 * The single door to libtorch (through JavaCPP): an idempotent bootstrap ({@link org.sbgm.torch.Torch#init()}:
 * natives pre-extracted, {@code maxPhysicalBytes=0}, OpenBLAS at one thread, torch's intra-op threads
 * set), small tensor helpers, seeded generators and device choice.
 *
 * <p><b>Seeds.</b> {@link org.sbgm.torch.Seeds} is the library's one seed mixer (SplitMix64): every
 * generator of a run is seeded with {@code Seeds.derive(seed, stream[, index])} for a named
 * {@link org.sbgm.torch.Seeds.Stream} (training times, training noise, validation draws, the data order
 * of each epoch, a network's dropout), so streams never share a seed and a run replays from its seed.
 *
 * <p><b>Archives.</b> {@link org.sbgm.torch.Archives} turns libtorch's serialized archives into Java
 * bytes and back, so formats that wrap one (checkpoints) go through the one atomic writer of
 * {@code org.sbgm.io}.
 *
 * <p>Native memory follows pointer scopes, not the garbage collector: per-step work runs inside a
 * {@code PointerScope}; tensors that must outlive it are retained ({@link org.sbgm.torch.Torch#retain})
 * and handed to the caller's scope ({@link org.sbgm.torch.Torch#handToScope}). Grad mode is
 * thread-local and {@code manual_seed} global, so every stochastic API takes its own generator.
 */
package org.sbgm.torch;
