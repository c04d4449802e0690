package org.sbgm.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The chunk plan against a brute-force list of chunks and owners, and the one-process loop. */
class ShardsTest {
  @Test
  void thePlanMatchesABruteForceListOfChunksAndOwners() {
    for (long n = 1; n <= 40; n++) {
      for (int batch = 1; batch <= 9; batch++) {
        // brute force: walk the rows, opening a chunk every `batch` rows
        List<long[]> chunks = new ArrayList<>(); // {start, rows}
        for (long row = 0; row < n; row++) {
          if (row % batch == 0) {
            chunks.add(new long[] {row, 0});
          }
          chunks.get(chunks.size() - 1)[1]++;
        }
        int c = chunks.size();
        for (int ranks = 1; ranks <= 6; ranks++) {
          // brute force: deal the chunks out in order, rank r taking ⌊c(r+1)/N⌋ − ⌊cr/N⌋ of them, counted by repeated addition
          List<List<Integer>> dealt = new ArrayList<>();
          int next = 0;
          for (int r = 0; r < ranks; r++) {
            long end = 0;
            for (int k = 0; k < r + 1; k++) {
              end += c; // c·(r + 1)
            }
            List<Integer> mine = new ArrayList<>();
            while (next < c && (long) (next + 1) * ranks <= end) { // next < ⌊c(r+1)/N⌋ ⟺ (next + 1)·N ≤ c(r+1)
              mine.add(next++);
            }
            dealt.add(mine);
          }
          assertEquals(c, next, "every chunk is dealt");
          long rowsSeen = 0;
          for (int r = 0; r < ranks; r++) {
            Shards plan = new Shards(n, batch, r, ranks);
            assertEquals(c, plan.chunks());
            List<Integer> planned = new ArrayList<>();
            for (int i = plan.firstChunk(); i < plan.endChunk(); i++) {
              planned.add(i);
              assertEquals(chunks.get(i)[0], plan.start(i));
              assertEquals(chunks.get(i)[1], plan.rows(i));
            }
            assertEquals(dealt.get(r), planned, "n " + n + ", batch " + batch + ", rank " + r + " of " + ranks);
            assertEquals(planned.size(), plan.localChunks());
            assertEquals(rowsSeen, plan.firstRow(), "rank " + r + " starts where rank " + (r - 1) + " ended");
            rowsSeen += plan.localRows();
            assertTrue(planned.size() == c / ranks || planned.size() == (c + ranks - 1) / ranks, "balanced");
          }
          assertEquals(n, rowsSeen, "the ranks' rows in rank order are every row once");
        }
      }
    }
  }

  @Test
  void oneProcessRunsEveryChunkInOrderAndSumsItsCounters() {
    Shards plan = Shards.of(10, 3, Group.single());
    List<Integer> seen = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      Tensor all = plan.run(Group.single(), new long[] {2}, DType.FLOAT64, (chunk, local, start, rows) -> {
        seen.add(chunk);
        assertEquals(chunk, local);
        double[] v = new double[(int) rows * 2];
        for (int i = 0; i < rows; i++) {
          v[2 * i] = start + i;
          v[2 * i + 1] = chunk;
        }
        return Torch.tensor(v, DType.FLOAT64, rows, 2);
      }, null);
      assertArrayEquals(new long[] {10, 2}, Torch.shape(all));
      double[] v = Torch.toDoubles(all);
      for (int i = 0; i < 10; i++) {
        assertEquals(i, v[2 * i]);
        assertEquals(i / 3, v[2 * i + 1]);
      }
    }
    assertEquals(List.of(0, 1, 2, 3), seen);
    assertArrayEquals(new long[] {7, 9}, Shards.sum(Group.single(), 7, 9));
  }

  @Test
  void badPlansAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Shards(0, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Shards(1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Shards(1, 1, 2, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Shards(5, 2, 1, 2).run(Group.single(), new long[0], DType.FLOAT64, (c, l, s, r) -> null, null));
    assertTrue(e.getMessage().contains("rank 1 of 2"), e.getMessage());
  }
}
