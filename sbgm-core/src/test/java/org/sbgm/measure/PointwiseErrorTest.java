package org.sbgm.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;

class PointwiseErrorTest {
  @Test
  void errorsOfThreePointsByHand() {
    // e = (1, -2, 2): mean 1/3, mean |e| 5/3, rms sqrt(9/3) = sqrt(3), max 2
    PointwiseError e = PointwiseError.of(new double[] {2, 0, 5}, new double[] {1, 2, 3});
    assertEquals(1.0 / 3, e.mean(), 1e-15);
    assertEquals(5.0 / 3, e.meanAbs(), 1e-15);
    assertEquals(Math.sqrt(3), e.rms(), 1e-15);
    assertEquals(2, e.maxAbs(), 0);
  }

  @Test
  void lengthsMustAgree() {
    assertThrows(InvalidInputException.class, () -> PointwiseError.of(new double[] {1}, new double[] {1, 2}));
    assertThrows(InvalidInputException.class, () -> PointwiseError.of(new double[0], new double[0]));
  }
}
