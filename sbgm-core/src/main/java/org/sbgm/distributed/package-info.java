/**
 * Runs across processes and machines on libtorch's c10d: a {@link org.sbgm.distributed.Group} of ranks
 * and its collectives (Gloo on CPU, NCCL on CUDA), and the single-process group that makes the same
 * code run in one process.
 */
package org.sbgm.distributed;
