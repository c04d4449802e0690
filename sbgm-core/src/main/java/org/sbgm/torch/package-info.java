/**
 * The single door to libtorch (through JavaCPP): an idempotent bootstrap ({@link org.sbgm.torch.Torch#init()}:
 * natives pre-extracted, {@code maxPhysicalBytes=0}, OpenBLAS at one thread, torch's intra-op threads
 * set), small tensor helpers, seeded generators and device choice.
 *
 * <p>Native memory follows pointer scopes, not the garbage collector: per-step work runs inside a
 * {@code PointerScope}; tensors that must outlive it are retained ({@link org.sbgm.torch.Torch#retain})
 * and handed to the caller's scope ({@link org.sbgm.torch.Torch#handToScope}). Grad mode is
 * thread-local and {@code manual_seed} global, so every stochastic API takes its own generator.
 */
package org.sbgm.torch;
