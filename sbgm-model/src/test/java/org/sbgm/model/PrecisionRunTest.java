package org.sbgm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;
import org.sbgm.config.ConfigFiles;
import org.sbgm.config.RunConfig;
import org.sbgm.torch.Bf16Support;
import org.sbgm.torch.Precision;
import org.sbgm.torch.Torch;

/** training.precision: its default, its check, and the precision a model directory records. */
class PrecisionRunTest {
  @TempDir Path dir;

  @Test
  void thePrecisionKeyDefaultsToFp32AndIsChecked() throws Exception {
    RunConfig plain = ConfigFiles.readRunConfig(TinyRuns.config(dir.resolve("a.yaml"), 5));
    assertEquals("fp32", plain.training().precision());
    assertEquals(Precision.FP32, plain.training().toCore().precision());
    Path bf16 = dir.resolve("b.yaml");
    Files.writeString(bf16, TinyRuns.text(5) + "  precision: BF16\n");
    assertEquals(Precision.BF16, ConfigFiles.readRunConfig(bf16).training().toCore().precision());
    Path bad = dir.resolve("c.yaml");
    Files.writeString(bad, TinyRuns.text(5) + "  precision: fp16\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigFiles.readRunConfig(bad));
    assertTrue(e.getMessage().contains("precision must be one of fp32, bf16, bf16-emulated, got 'fp16'"), e.getMessage());
  }

  @Test
  void theModelDirectoryRecordsThePrecisionThatRan() throws Exception {
    Torch.init();
    Torch.setThreads(1);
    Path out = dir.resolve("model");
    Training.fromFile(TinyRuns.config(dir.resolve("tiny.yaml"), 5)).precision("bf16").run(out);
    String ran = Bf16Support.cpu().supported() ? "bf16" : "fp32";
    String yaml = Files.readString(out.resolve("model.yaml"));
    assertTrue(yaml.contains("precision: \"" + ran + "\"") || yaml.contains("precision: " + ran), yaml);
    assertEquals(2, Model.load(out).dimension());
  }
}
