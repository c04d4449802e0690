package org.sbgm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sbgm.nn.UNetConfig;

class UNetFlopsTest {
  /** 2·C_in·C_out·k²·H·W. */
  private static double conv(double in, double out, double k, double hw) {
    return 2 * in * out * k * k * hw;
  }

  @Test
  void referenceUNetCountedByHand() {
    // The reference UNet layer by layer at 28x28 (levels 28, 14, 7; channels 32, 64, 64; time MLP 32 -> 128 -> 128).
    double p28 = 28 * 28;
    double p14 = 14 * 14;
    double p7 = 7 * 7;
    double time = 2 * (32 * 128 + 128 * 128);
    double lin = 2 * 128; // per output channel of a block's time projection
    double f = time
        + conv(1, 32, 3, p28)                                                        // input
        + conv(32, 32, 3, p28) + lin * 32 + conv(32, 32, 3, p28)                     // down 0
        + conv(32, 32, 3, p14)                                                       // downsample 0
        + conv(32, 64, 3, p14) + lin * 64 + conv(64, 64, 3, p14) + conv(32, 64, 1, p14) // down 1
        + conv(64, 64, 3, p7)                                                        // downsample 1
        + conv(64, 64, 3, p7) + lin * 64 + conv(64, 64, 3, p7)                       // down 2
        + 2 * (conv(64, 64, 3, p7) + lin * 64 + conv(64, 64, 3, p7))                 // middle 1, 2
        + conv(64, 192, 1, p7) + 2 * 2 * p7 * p7 * 64 + conv(64, 64, 1, p7)          // middle attention
        + conv(128, 64, 3, p7) + lin * 64 + conv(64, 64, 3, p7) + conv(128, 64, 1, p7) // up 2
        + conv(64, 64, 3, p14)                                                       // upsample to 14
        + conv(128, 64, 3, p14) + lin * 64 + conv(64, 64, 3, p14) + conv(128, 64, 1, p14) // up 1
        + conv(64, 64, 3, p28)                                                       // upsample to 28
        + conv(96, 32, 3, p28) + lin * 32 + conv(32, 32, 3, p28) + conv(96, 32, 1, p28) // up 0
        + conv(32, 1, 3, p28);                                                       // output
    assertEquals(64 * f, UNetFlops.forward(UNetConfig.reference(), 64, 28, 28), 1e-6 * f);
    assertEquals(3 * 64 * f, UNetFlops.trainingStep(UNetConfig.reference(), 64, 28, 28), 1e-6 * f);
  }
}
