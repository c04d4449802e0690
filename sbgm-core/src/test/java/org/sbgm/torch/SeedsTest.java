package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.sbgm.data.DataLoader;
import org.sbgm.data.TensorDataset;

class SeedsTest {
  @Test
  void isSplitMix64() {
    // The first two outputs of SplitMix64 seeded with 0 (Vigna's reference splitmix64.c).
    assertEquals(0xE220A8397B1DCDAFL, Seeds.mix(0, 0));
    assertEquals(0x6E789E6AA1B965F4L, Seeds.mix(0, 1));
    assertEquals(Seeds.mix(42, 4), Seeds.derive(42, Seeds.Stream.DATA));
    assertEquals(Seeds.mix(Seeds.mix(42, 4), 7), Seeds.derive(42, Seeds.Stream.DATA, 7));
  }

  @Test
  void streamsOfOneSeedAndOneStreamOfNeighbouringSeedsAreDistinct() {
    Set<Long> seen = new HashSet<>();
    for (long seed = 0; seed < 100; seed++) {
      for (Seeds.Stream s : Seeds.Stream.values()) {
        seen.add(Seeds.derive(seed, s));
        for (long e = 0; e < 10; e++) {
          seen.add(Seeds.derive(seed, s, e));
        }
      }
    }
    assertEquals(100 * Seeds.Stream.values().length * 11, seen.size());
  }

  @Test
  void theDataLoaderDrawsEachEpochFromTheDataStream() {
    Torch.init();
    try (PointerScope scope = new PointerScope()) {
      DataLoader loader = DataLoader.shuffled(new TensorDataset(torch.zeros(20, 1)), 4, 9);
      for (long e = 0; e < 3; e++) {
        Generator g = torch.make_generator_cpu(Seeds.derive(9, Seeds.Stream.DATA, e));
        double[] expected = Torch.toDoubles(Torch.randperm(20, g));
        long[] actual = loader.permutation(e);
        double[] asDoubles = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
          asDoubles[i] = actual[i];
        }
        assertArrayEquals(expected, asDoubles, 0.0);
      }
    }
  }
}
