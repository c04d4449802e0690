package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.cli.bench.MemorySoakRun;

/**
 * The reduced long run ({@code scripts/long-run-rss.sh} runs the full one): 1,000 training steps of the
 * demo's MLP with a checkpoint every 100, then 100 sample and 100 log-likelihood calls, in a child JVM with
 * a fixed, pre-touched heap; resident memory after the warm-up (the first 60%) may grow by at most 5%.
 */
class MemorySoakTest {
  @TempDir Path dir;

  @Test
  void residentMemoryStaysFlatAfterWarmUp() throws Exception {
    List<String> cmd = ChildJvm.command(MemorySoakRun.class.getName(), List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"));
    cmd.addAll(List.of("--steps", "1000", "--every", "100", "--calls", "100", "--call-every", "10", "--warm-up", "0.6",
        "--csv", dir.resolve("rss.csv").toString()));
    ChildJvm.Result r = ChildJvm.run(cmd, dir.resolve("log"));
    assertEquals(0, r.code(), r.output());
    System.out.println(Files.readString(dir.resolve("rss.csv")));
    for (String phase : List.of("train", "sample", "loglik")) {
      Matcher m = Pattern.compile(phase + "_growth_percent=([-0-9.]+)").matcher(r.output());
      assertTrue(m.find(), r.output());
      double growth = Double.parseDouble(m.group(1));
      System.out.println(phase + " growth after warm-up: " + growth + "%");
      assertTrue(growth < 5, phase + ": resident memory grew by " + growth + "% after warm-up:\n" + r.output());
    }
    assertEquals(10 + 10 + 10 + 1, Files.readAllLines(dir.resolve("rss.csv")).size());
  }
}
