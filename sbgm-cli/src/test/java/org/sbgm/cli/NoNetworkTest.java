package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No code path opens a network connection: {@link NoNetwork} runs train, resume, sample (with plots),
 * loglik (model and oracle), grf, demo and bench in-process in a JVM whose every network entry point
 * refuses and records, after a control that shows each of those guards refusing.
 */
class NoNetworkTest {
  @TempDir Path dir;

  @Test
  void noCommandOpensAConnection() throws Exception {
    List<String> cmd = ChildJvm.command(NoNetwork.class.getName(), List.of(
        "-Djava.nio.channels.spi.SelectorProvider=" + NoNetwork.RefusingSelectorProvider.class.getName(),
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-Djava.security.manager=allow"));
    cmd.add(dir.toString());
    ChildJvm.Result r = ChildJvm.run(cmd, dir.resolve("log"));
    System.out.println(r.output());
    Matcher control = Pattern.compile("control: (\\d+)/(\\d+) network attempts refused").matcher(r.output());
    assertTrue(control.find(), r.output());
    assertEquals(control.group(2), control.group(1), "a guard did not fire:\n" + r.output());
    assertTrue(Integer.parseInt(control.group(2)) >= 9, r.output());
    assertTrue(r.output().contains("failed_commands=0") && r.output().contains("open_network_sockets=0"), r.output());
    assertTrue(r.output().contains("attempts=0"), r.output());
    assertEquals(0, r.code(), r.output());
  }
}
