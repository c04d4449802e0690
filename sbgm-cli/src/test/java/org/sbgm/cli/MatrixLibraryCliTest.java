package org.sbgm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SBGM_BLAS} on the command line: a bad value is one sentence and exit 2 before any work; the
 * system library, where the machine has one, is the one the bench's sgemm line names.
 */
class MatrixLibraryCliTest {
  @Test
  void aMissingLibraryIsOneSentenceAndExitTwo(@TempDir Path dir) throws Exception {
    ChildJvm.Result r = ChildJvm.sbgm("export SBGM_BLAS=/no/such/libopenblas.so.0;", dir.resolve("bad.log"),
        "bench", "--only", "sgemm-2048");
    assertEquals(2, r.code(), r.output());
    assertEquals("sbgm: sbgm.blas must be 'bundled', 'system' or the path of an OpenBLAS library (libopenblas.so.0), "
        + "got '/no/such/libopenblas.so.0', which is not a file", r.output().strip(), r.output());
  }

  @Test
  void theBenchNamesTheLibraryItRan(@TempDir Path dir) throws Exception {
    Path system = Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0");
    assumeTrue(Files.isRegularFile(system), "no Debian OpenBLAS on this machine");
    ChildJvm.Result r = ChildJvm.sbgm("export SBGM_BLAS=system OMP_WAIT_POLICY=PASSIVE;", dir.resolve("system.log"),
        "bench", "--threads", "1", "--only", "sgemm-2048");
    assertEquals(0, r.code(), r.output());
    // the note names kernels forced from the environment after the library
    String forced = System.getenv("OPENBLAS_CORETYPE");
    String kernels = forced == null || forced.isBlank() ? "" : ", kernels forced by OPENBLAS_CORETYPE=" + forced.strip();
    assertTrue(r.output().contains("; OpenBLAS: " + system.toRealPath() + kernels + ")"), r.output());
    ChildJvm.Result bundled = ChildJvm.sbgm("export SBGM_BLAS=bundled OMP_WAIT_POLICY=PASSIVE;", dir.resolve("bundled.log"),
        "bench", "--threads", "1", "--only", "sgemm-2048");
    assertEquals(0, bundled.code(), bundled.output());
    assertTrue(bundled.output().contains("; OpenBLAS: bundled" + kernels + ")"), bundled.output());
  }
}
