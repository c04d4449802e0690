package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

class DataLoaderTest {
  static {
    Torch.init();
  }

  /** Row i of the data is (i, 10 i), so a batch's values reveal its indices. */
  private static TensorDataset indexed(int n) {
    double[] v = new double[2 * n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      v[2 * i] = i;
      v[2 * i + 1] = 10 * i;
      p[i] = -i;
    }
    return new TensorDataset(Torch.tensor(v, n, 2), Torch.tensor(p, n, 1), null);
  }

  @Test
  void everyEpochIsAPermutationDrawnFromSeedAndEpoch() {
    TensorDataset data = indexed(50);
    DataLoader a = DataLoader.shuffled(data, 8, 42);
    DataLoader b = DataLoader.shuffled(data, 8, 42);
    DataLoader c = DataLoader.shuffled(data, 8, 43);
    for (long e = 0; e < 3; e++) {
      long[] p = a.permutation(e);
      long[] sorted = p.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < 50; i++) {
        assertEquals(i, sorted[i]);
      }
      assertArrayEquals(p, b.permutation(e));
      assertFalse(Arrays.equals(p, c.permutation(e)));
      assertFalse(Arrays.equals(p, a.permutation(e + 1)));
    }
    DataLoader ordered = new DataLoader(data, 8, 42, false, true);
    assertEquals(3, ordered.permutation(5)[3]);
  }

  @Test
  void resumingFromASavedPositionReplaysTheSameBatches() {
    try (PointerScope s = new PointerScope()) {
      TensorDataset data = indexed(10);
      DataLoader a = DataLoader.shuffled(data, 3, 7); // 3 batches per epoch, one sample dropped
      assertEquals(3, a.batchesPerEpoch());
      for (int i = 0; i < 4; i++) {
        a.next();
      }
      DataPosition saved = a.position();
      assertEquals(new DataPosition(1, 3), saved);
      List<long[]> expected = new ArrayList<>();
      List<double[]> expectedData = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Batch batch = a.next();
        expected.add(batch.indices());
        expectedData.add(Torch.toDoubles(batch.data()));
        double[] cond = Torch.toDoubles(batch.condition().parameters());
        for (int r = 0; r < 3; r++) {
          assertEquals(batch.indices()[r], expectedData.get(i)[2 * r], 0.0);
          assertEquals(-batch.indices()[r], cond[r], 0.0);
        }
        assertNull(batch.condition().image());
      }
      DataLoader b = DataLoader.shuffled(data, 3, 7);
      b.seek(saved);
      for (int i = 0; i < 6; i++) {
        Batch batch = b.next();
        assertArrayEquals(expected.get(i), batch.indices());
        assertArrayEquals(expectedData.get(i), Torch.toDoubles(batch.data()), 0.0);
      }
      assertEquals(a.position(), b.position());
      assertEquals(new DataPosition(3, 3), b.position());
    }
  }

  @Test
  void keepsThePartialLastBatchWhenAsked() {
    try (PointerScope s = new PointerScope()) {
      DataLoader loader = new DataLoader(indexed(10), 4, 1, true, false);
      assertEquals(3, loader.batchesPerEpoch());
      int[] sizes = new int[4];
      for (int i = 0; i < 4; i++) {
        sizes[i] = loader.next().indices().length;
      }
      assertArrayEquals(new int[] {4, 4, 2, 4}, sizes);
      assertEquals(new DataPosition(1, 4), loader.position());
    }
  }

  @Test
  void rejectsABatchLargerThanTheDataset() {
    TensorDataset data = new TensorDataset(Torch.randn(new long[] {5, 2}, Torch.generator(0), Torch.options(DType.FLOAT32)));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DataLoader.shuffled(data, 6, 0));
    assertEquals("batch size 6 exceeds the dataset's 5 samples; expected at most 5 (or dropLast = false)", e.getMessage());
    assertThrows(InvalidInputException.class, () -> data.batch(new long[] {5}));
    Tensor all = data.all();
    assertArrayEquals(new long[] {2}, data.sampleShape());
    assertEquals(5, all.size(0));
  }
}
