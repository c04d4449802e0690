package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.sbgm.score.Condition;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** A condition's rows: one shared by all samples, or one per sample from either part. */
class ConditionsCountTest {
  @Test
  void rowsComeFromTheLargerPart() {
    try (PointerScope scope = new PointerScope()) {
      assertEquals(1, Conditions.count(Condition.NONE));
      assertEquals(1, Conditions.count(null));
      assertEquals(1, Conditions.count(Conditions.repeat(new double[] {1, 2}, 1, DType.FLOAT32)));
      assertEquals(7, Conditions.count(Conditions.repeat(new double[] {1, 2}, 7, DType.FLOAT32)));
      Condition both = new Condition(Torch.full(new long[] {1, 2}, 0, Torch.options(DType.FLOAT32)),
          Torch.full(new long[] {5, 1, 4, 4}, 0, Torch.options(DType.FLOAT32)));
      assertEquals(5, Conditions.count(both));
      assertEquals(5, Conditions.count(Conditions.rows(both, 5, 0, 5)));
      assertEquals(2, Conditions.count(Conditions.rows(both, 5, 1, 2)));
    }
  }
}
