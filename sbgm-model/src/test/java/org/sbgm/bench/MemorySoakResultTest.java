package org.sbgm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's figures from hand-made samples: warm-up index, growth, CSV and the summary lines. */
class MemorySoakResultTest {
  private static MemorySoak.Result result() {
    List<MemorySoak.Sample> s = new ArrayList<>();
    double[] train = {100, 150, 200, 190, 210, 205, 200, 199, 201, 200}; // warm-up 0.2: index 1 (150)
    for (int i = 0; i < train.length; i++) {
      s.add(new MemorySoak.Sample("train", 100L * (i + 1), train[i]));
    }
    double[] sample = {300, 300, 301, 299, 330};
    for (int i = 0; i < sample.length; i++) {
      s.add(new MemorySoak.Sample("sample", 10L * (i + 1), sample[i]));
    }
    s.add(new MemorySoak.Sample("loglik", 10, 400));
    return new MemorySoak.Result(List.copyOf(s), 0.2);
  }

  @Test
  void growthIsFromTheEndOfWarmUpToTheLargestLaterSample() {
    MemorySoak.Result r = result();
    assertEquals(150, r.warm("train"));
    assertEquals((210 - 150) / 150.0, r.growth("train"), 1e-15);
    assertEquals(300, r.warm("sample")); // ceil(5 × 0.2) − 1 = 0
    assertEquals(30 / 300.0, r.growth("sample"), 1e-15);
    assertEquals(0, r.growth("loglik"));
    assertEquals(210, r.max("train"));
    assertEquals(10, r.phase("train").size());
  }

  @Test
  void csvAndSummaryHoldEverySample() {
    MemorySoak.Result r = result();
    String csv = MemorySoak.csv(r);
    List<String> lines = csv.lines().toList();
    assertEquals("phase,index,rss_mib", lines.get(0));
    assertEquals(1 + 16, lines.size());
    assertEquals("train,300,200.00", lines.get(3));
    String summary = r.summary();
    assertTrue(summary.contains("train_rss_after_warmup_mib=150.0 train_rss_max_mib=210.0 train_growth_percent=40.00"), summary);
    assertTrue(summary.contains("sample_growth_percent=10.00"), summary);
    assertTrue(summary.contains("loglik_growth_percent=0.00"), summary);
  }

  @Test
  void aPhaseWithoutSamplesIsNamed() {
    MemorySoak.Result r = new MemorySoak.Result(List.of(new MemorySoak.Sample("train", 1, 5)), 0.1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.growth("loglik"));
    assertTrue(e.getMessage().contains("'loglik'"), e.getMessage());
  }

  @Test
  void residentMemoryAgreesWithStatm() throws Exception {
    // /proc/self/statm's second field counts resident pages (4 KiB on x86-64 and aarch64 Linux): an independent read
    String[] statm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim().split("\\s+");
    double pages = Long.parseLong(statm[1]) * 4096.0 / (1 << 20);
    double rss = MemorySoak.rssMiB();
    assertEquals(pages, rss, 0.1 * pages, "VmRSS in MiB against statm's resident pages");
  }
}
