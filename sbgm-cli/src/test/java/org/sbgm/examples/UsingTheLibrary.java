package org.sbgm.examples;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.sbgm.model.DataLikelihood;
import org.sbgm.model.LikelihoodSpec;
import org.sbgm.model.Model;
import org.sbgm.model.ModelSamples;
import org.sbgm.model.SamplerSpec;
import org.sbgm.model.TrainedModel;
import org.sbgm.model.Training;
import org.sbgm.score.Condition;
import org.sbgm.torch.Torch;

/**
 * The README's "Using the library" program: it loads a model directory written by {@code sbgm train},
 * draws samples and computes their log-likelihoods, using the library's artifacts only (sbgm-model and
 * sbgm-core; nothing of the command line). {@code UsingTheLibraryTest} runs it and checks that the README
 * shows this code.
 */
public final class UsingTheLibrary {
  private UsingTheLibrary() {}

  /** The samples (data units) and their log-likelihoods (nats, data units). */
  public record Result(float[] samples, double[] nats, long sampleNfe, long likelihoodNfe) {}

  /** Runs the README program on the model directory {@code dir}. */
  public static Result run(Path dir) {
    // --- README: load ---
    Model model = Model.load(dir);                          // verifies every file against the manifest
    try (PointerScope scope = new PointerScope()) {         // frees native memory at the end of the block
      long seed = 0;                                        // chunk i of 4096 rows draws from its own generator
      ModelSamples s = model.sample(SamplerSpec.of("ode"), 500, 4096, Condition.NONE, seed, null);  // data units
      DataLikelihood ll = model.logLikelihood(LikelihoodSpec.defaults(), s.x(), Condition.NONE, 4096, seed, null);
      System.out.printf("%d samples, mean log p(x) = %.4f nats (%d + %d NFE)%n",
          s.x().size(0), ll.mean(), s.nfe(), ll.nfe());
      // --- end ---
      return new Result(Torch.toFloats(s.x()), ll.nats(), s.nfe(), ll.nfe());
    }
  }

  /**
   * The README's line that trains from Java, compiled here (run from the project root it trains the moons
   * configuration; {@code UsingTheLibraryTest} checks that the README shows it).
   */
  static TrainedModel train() {
    // --- README: train ---
    TrainedModel run = Training.fromFile(Path.of("configs/moons-mlp.yaml")).steps(2000).run(Path.of("runs/moons"));
    // --- end ---
    return run;
  }

  /** Runs the program on the directory given as the first argument. */
  public static void main(String[] args) {
    run(Path.of(args[0]));
  }
}
