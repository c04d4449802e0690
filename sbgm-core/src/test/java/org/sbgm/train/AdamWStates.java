package org.sbgm.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.sbgm.torch.Torch;

/**
 * Test helper: AdamW's per-parameter state (step, exp_avg, exp_avg_sq) in parameter order, read back
 * through libtorch's own optimiser serialisation (the JavaCPP API has no state accessor).
 */
final class AdamWStates {
  private AdamWStates() {}

  record State(long step, float[] expAvg, float[] expAvgSq) {}

  static List<State> of(Optimizer optimizer) throws IOException {
    Path tmp = Files.createTempFile("adamw", ".pt");
    try {
      OutputArchive out = new OutputArchive();
      optimizer.save(out);
      out.save_to(tmp.toString());
      InputArchive in = new InputArchive();
      in.load_from(tmp.toString());
      InputArchive groups = new InputArchive();
      in.read("param_groups", groups);
      InputArchive group = new InputArchive();
      groups.read("param_groups/0", group);
      InputArchive state = new InputArchive();
      in.read("state", state);
      List<State> result = new ArrayList<>();
      for (int i = 0; ; i++) {
        IValue key = new IValue();
        if (!group.try_read("params/" + i, key)) {
          break;
        }
        InputArchive s = new InputArchive();
        if (!state.try_read(key.toStringRef().getString(), s)) {
          result.add(new State(0, new float[0], new float[0]));
          continue;
        }
        IValue step = new IValue();
        s.read("step", step);
        Tensor m = new Tensor();
        s.read("exp_avg", m);
        Tensor v = new Tensor();
        s.read("exp_avg_sq", v);
        result.add(new State(step.toInt(), Torch.toFloats(m), Torch.toFloats(v)));
      }
      return result;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
