package org.sbgm.distributed;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

/**
 * The NCCL process group for ranks whose tensors live on CUDA (device = the local rank). Kept apart so
 * that a CPU-only run never loads the NCCL classes.
 */
final class NcclBackend {
  private NcclBackend() {}

  static Backend create(Store store, Rendezvous r, long timeoutMs) {
    ProcessGroupNCCL.Options options = new ProcessGroupNCCL.Options();
    options.retainReference();
    options.timeout(new Milliseconds(timeoutMs));
    return new ProcessGroupNCCL(store, r.rank(), r.worldSize(), options);
  }

  static Tensor toCuda(Tensor cpu, int localRank) {
    return cpu.to(new Device("cuda:" + localRank), cpu.scalar_type());
  }
}
