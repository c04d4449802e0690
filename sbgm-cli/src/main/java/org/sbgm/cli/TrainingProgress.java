package org.sbgm.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.sbgm.cli.plot.LossPlot;
import org.sbgm.config.DataSpec;
import org.sbgm.config.FileDataSpec;
import org.sbgm.config.GrfDataSpec;
import org.sbgm.config.RunConfig;
import org.sbgm.config.ToyDataSpec;
import org.sbgm.model.Metrics;
import org.sbgm.model.ModelDirectory;
import org.sbgm.model.TrainedModel;
import org.sbgm.model.Training;
import org.sbgm.train.TrainingListener;

/**
 * A training run with what the command line adds: a progress bar with the running loss, and the loss
 * curve {@code loss.png} attached to the model directory once it is written.
 */
final class TrainingProgress {
  private TrainingProgress() {}

  static TrainedModel run(Training training, Path dir, boolean resume, Progress progress) {
    long steps = training.config().training().steps();
    Progress.Bar[] bar = {null}; // opened at the first step, after every input was checked
    TrainedModel o;
    try {
      training.listener(new TrainingListener() {
        private double mean = Double.NaN;
        private double validation = Double.NaN;

        @Override
        public void onStep(long step, double loss, double lr) {
          if (bar[0] == null) {
            bar[0] = progress.bar("train", steps, "steps");
          }
          mean = Double.isNaN(mean) ? loss : 0.98 * mean + 0.02 * loss;
          if (step % 10 == 0 || step == steps) {
            bar[0].extra(String.format(Locale.ROOT, "loss %.4f%s", mean,
                Double.isNaN(validation) ? "" : String.format(Locale.ROOT, " val %.4f", validation)));
          }
          bar[0].stepTo(step);
        }

        @Override
        public void onValidation(long step, double loss) {
          validation = loss;
        }
      });
      o = resume ? training.resume(dir) : training.run(dir);
    } finally {
      if (bar[0] != null) {
        bar[0].close();
      }
    }
    if (!training.group().isRoot()) {
      return o; // rank 0 writes the directory
    }
    Metrics metrics = Metrics.read(dir.resolve(ModelDirectory.METRICS));
    String title = lossTitle(training.config());
    ModelDirectory.attach(dir, "loss.png", out -> LossPlot.write(metrics, title, out));
    return o;
  }

  private static String lossTitle(RunConfig config) {
    DataSpec d = config.data();
    String what = d instanceof FileDataSpec f ? Path.of(f.path()).getFileName().toString()
        : d instanceof GrfDataSpec ? "Gaussian random fields"
        : ((ToyDataSpec) d).name();
    return "Training loss: " + what + ", " + config.network().typeName() + ", "
        + config.sde().type().toUpperCase(Locale.ROOT) + " SDE";
  }
}
