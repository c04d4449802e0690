package org.sbgm.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.Torch;

/** Priors: parsing (per component or one pair for all), densities, draws, and one sentence for every bad spec. */
class PriorsTest {
  static {
    Torch.init();
  }

  @Test
  void parsesPairsPerComponentOrOnePairForAll() {
    Prior u = Prior.parse("uniform:0.5,2,2,4", 2);
    assertInstanceOf(UniformPrior.class, u);
    assertArrayEquals(new double[][] {{0.5, 2}, {2, 4}}, u.box());
    assertEquals(-Math.log(1.5) - Math.log(2), u.logDensity(new double[] {1, 3}), 1e-15);
    assertEquals(Double.NEGATIVE_INFINITY, u.logDensity(new double[] {1, 4.5}));
    Prior n = Prior.parse(" normal: 0, 1 ", 3);
    assertArrayEquals(new double[] {0, 0, 0}, ((NormalPrior) n).mean());
    assertEquals(-1.5 * Math.log(2 * Math.PI) - 0.5 * 3, n.logDensity(new double[] {1, -1, 1}), 1e-12);
    assertEquals("normal:0.0,1.0,0.0,1.0,0.0,1.0", n.describe());
  }

  @Test
  void drawsFollowThePrior() {
    double[][] x = Prior.parse("normal:1,2", 1).sample(20000, Torch.generator(1));
    double m = 0;
    double v = 0;
    for (double[] r : x) {
      m += r[0] / x.length;
    }
    for (double[] r : x) {
      v += (r[0] - m) * (r[0] - m) / (x.length - 1);
    }
    assertEquals(1, m, 0.05);
    assertEquals(4, v, 0.15);
    for (double[] r : Prior.parse("uniform:-1,1,5,6", 2).sample(1000, Torch.generator(2))) {
      assertEquals(0, r[0], 1);
      assertEquals(5.5, r[1], 0.5);
    }
  }

  @Test
  void extremeButRepresentableBoxesAreAccepted() {
    double[][] box = Prior.parse("normal:1e29,1e28", 1).box();
    assertEquals(5e28, box[0][0], 1e14);
    assertEquals(1.5e29, box[1][0], 1e15);
    assertEquals(-Math.log(1e-100), Prior.parse("uniform:0,1e-100", 1).logDensity(new double[] {5e-101}), 1e-9);
  }

  @Test
  void badSpecsAreOneSentence() {
    String[][] cases = {
      {"gamma:1,2", "the prior must be uniform:LO,HI[,LO,HI...] or normal:MU,SD[,MU,SD...] with one pair for each of the 2 parameters (or one pair for all), got 'gamma:1,2'"},
      {"uniform:0,1,2", "the prior 'uniform:0,1,2' has 3 numbers; expected uniform:LO,HI[,LO,HI...] or normal:MU,SD[,MU,SD...] with one pair for each of the 2 parameters (or one pair for all)"},
      {"uniform:0,x", "the prior 'uniform:0,x' holds 'x', which is not a number"},
      {"uniform:1,0", "the prior 'uniform:1,0': the uniform range of parameter 1 must be finite with LO < HI, got [1.0, 0.0]"},
      {"normal:0,-1", "the prior 'normal:0,-1': the normal prior of parameter 1 needs a finite mean and a positive finite standard deviation, got MU = 0.0, SD = -1.0"},
      {"normal:0,NaN", "the prior 'normal:0,NaN' holds the non-finite value NaN"},
      {"uniform:0,1e308,-1e308,0", "the prior 'uniform:0,1e308,-1e308,0': the uniform range of parameter 1 spans [0.0, 1.0E308], beyond the finite range [-1.0E30, 1.0E30] that the parameters must lie in"},
      {"uniform:0,1,-1e308,1e308", "the prior 'uniform:0,1,-1e308,1e308': the uniform range of parameter 2 spans [-1.0E308, 1.0E308], beyond the finite range [-1.0E30, 1.0E30] that the parameters must lie in"},
      {"uniform:0,1e-120", "the prior 'uniform:0,1e-120': the uniform range of parameter 1 spans [0.0, 1.0E-120], narrower than 1.0E-100, below which its density underflows"},
      {"normal:0,1e300", "the prior 'normal:0,1e300': the normal prior's mean ± 5 sd of parameter 1 spans [-5.0E300, 5.0E300], beyond the finite range [-1.0E30, 1.0E30] that the parameters must lie in"},
      {"normal:0,1e308", "the prior 'normal:0,1e308': the normal prior's mean ± 5 sd of parameter 1 spans [-Infinity, Infinity], beyond the finite range [-1.0E30, 1.0E30] that the parameters must lie in"},
      {"normal:0,1e-320", "the prior 'normal:0,1e-320': the normal prior of parameter 1 needs a standard deviation of at least 1.0E-100 (below it the density underflows), got SD = 1.0E-320"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], assertThrows(InvalidInputException.class, () -> Prior.parse(c[0], 2)).getMessage());
    }
  }
}
