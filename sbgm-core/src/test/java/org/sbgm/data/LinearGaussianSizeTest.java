package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.Memory;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Simulations that this machine's memory cannot hold are refused before libtorch allocates anything. */
class LinearGaussianSizeTest {
  @Test
  void simulationsBeyondPhysicalMemoryAreOneSentence() {
    Torch.init();
    assumeTrue(Memory.physical() < 89.4 * (1L << 30), "the check needs a machine with less than 89.4 GiB");
    LinearGaussian wide = new LinearGaussian(2_000_000_000, -1, 0.3);
    String m = assertThrows(InvalidInputException.class, () -> wide.simulate(1, Torch.generator(0), DType.FLOAT32)).getMessage();
    assertEquals("simulating n × P = 1 × 2000000000 values would need 89.4 GiB of memory, more than the "
        + Memory.format(Memory.physical()) + " this machine has", m);
    assertEquals("the number of simulations must be at least 1, got 0",
        assertThrows(InvalidInputException.class, () -> LinearGaussian.checkSize(0, 3)).getMessage());
    LinearGaussian.checkSize(1000, 3);
  }
}
