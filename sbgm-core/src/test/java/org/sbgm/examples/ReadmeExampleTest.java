package org.sbgm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.sbgm.likelihood.Divergence;
import org.sbgm.likelihood.LikelihoodResult;
import org.sbgm.likelihood.LogLikelihood;
import org.sbgm.sample.ProbabilityFlow;
import org.sbgm.sample.Samples;
import org.sbgm.score.Condition;
import org.sbgm.score.GaussianMixtureScore;
import org.sbgm.sde.VpSde;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** The README's library example, kept compiling and true. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRunsAndItsLikelihoodIsExact() {
    try (PointerScope scope = new PointerScope()) {
      // --- README example ---
      double[] weights = {0.5, 0.5};
      double[][] means = {{-2, 0}, {2, 0}};
      double[][][] covariances = {{{0.5, 0}, {0, 0.5}}, {{0.5, 0.2}, {0.2, 0.5}}};
      // The exact model of this mixture under the VP SDE (β linear 0.1 -> 20, T = 1): a DiffusionModel,
      // a score together with the SDE it reverses.
      GaussianMixtureScore model = new GaussianMixtureScore(weights, means, covariances, new VpSde());
      Generator g = Torch.generator(42);

      Samples s = new ProbabilityFlow().sample(model, 2000, new long[] {2}, Condition.NONE, g);
      Tensor x = s.x().narrow(0, 0, 16).to(DType.FLOAT64.scalarType());
      LikelihoodResult ll = LogLikelihood.builder().divergence(Divergence.exact())
          .tolerances(1e-6, 1e-6).build().evaluate(model, x, Condition.NONE, g);
      double[] exact = Torch.toDoubles(model.logDensity(x, 1e-5));   // ll.nats() agrees to ~1e-2
      // --- end ---
      assertEquals(2000, s.x().size(0));
      for (int i = 0; i < exact.length; i++) {
        // The plain prior N(0, I) stands in for p_T, which differs from it by about 1e-2 nats here.
        assertEquals(exact[i], ll.nats()[i], 0.05);
      }
    }
  }

  @Test
  void theReadmeShowsThisExample() throws java.io.IOException {
    java.util.List<String> source = java.nio.file.Files.readAllLines(
        java.nio.file.Path.of("src/test/java/org/sbgm/examples/ReadmeExampleTest.java"));
    int from = source.indexOf("      // --- README example ---");
    int to = source.indexOf("      // --- end ---");
    String block = String.join("\n", source.subList(from + 1, to).stream()
        .map(l -> l.length() >= 6 ? l.substring(6) : l.strip()).toList());
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    org.junit.jupiter.api.Assertions.assertTrue(from > 0 && to > from && readme.contains("```java\n" + block + "\n```"),
        "README.md must show ReadmeExampleTest's example verbatim:\n" + block);
  }
}
