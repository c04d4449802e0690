package org.sbgm.cli.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sbgm.bench.MemorySoak;
import org.sbgm.io.AtomicFiles;

/**
 * The command line of the library's {@link MemorySoak} ({@code scripts/long-run-rss.sh} runs it): the run,
 * its samples as CSV, its figure, and the growth per phase on standard output.
 *
 * <pre>
 *   MemorySoakRun --steps 20000 --every 1000 --calls 1000 --call-every 50 [--warm-up 0.1] --csv rss.csv --png rss.png
 * </pre>
 */
public final class MemorySoakRun {
  private MemorySoakRun() {}

  public static void main(String[] args) throws Exception {
    long steps = 20_000;
    long every = 1000;
    int calls = 1000;
    int callEvery = 50;
    double warmUp = 0.1;
    Path csv = null;
    Path png = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--steps" -> steps = Long.parseLong(v);
        case "--every" -> every = Long.parseLong(v);
        case "--calls" -> calls = Integer.parseInt(v);
        case "--call-every" -> callEvery = Integer.parseInt(v);
        case "--warm-up" -> warmUp = Double.parseDouble(v);
        case "--csv" -> csv = Path.of(v);
        case "--png" -> png = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("memory-soak");
    MemorySoak.Result r = MemorySoak.run(dir.resolve("model"), steps, every, calls, callEvery, warmUp, System.err::println);
    if (csv != null) {
      AtomicFiles.write(csv, MemorySoak.csv(r).getBytes(StandardCharsets.UTF_8));
    }
    if (png != null) {
      RssFigure.write(r, png);
    }
    System.out.print(r.summary());
  }
}
