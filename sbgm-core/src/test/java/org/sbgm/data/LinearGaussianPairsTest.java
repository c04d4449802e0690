package org.sbgm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.io.Npz;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** {@link LinearGaussian.Pairs#write}: an .npz with theta and x, read back value for value. */
class LinearGaussianPairsTest {
  static {
    Torch.init();
  }

  @TempDir Path dir;

  @Test
  void pairsRoundTripThroughTheirArchive() throws Exception {
    try (PointerScope s = new PointerScope(); Generator g = Torch.generator(2)) {
      LinearGaussian.Pairs pairs = new LinearGaussian(3, -1, 0.3).simulate(50, g, DType.FLOAT32);
      Path file = dir.resolve("pairs.npz");
      pairs.write(file);
      assertEquals(List.of("theta", "x"), Npz.names(file));
      assertArrayEquals(Torch.toFloats(pairs.theta()), Torch.toFloats(Npz.readTensor(file, "theta")));
      assertArrayEquals(Torch.toFloats(pairs.x()), Torch.toFloats(Npz.readTensor(file, "x")));
    }
  }
}
