package org.sbgm.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbgm.InvalidInputException;

/**
 * The choice of OpenBLAS ({@code sbgm.blas}, {@code SBGM_BLAS}): resolved and refused with one sentence
 * in-process, and in fresh JVMs (it acts before libtorch boots) the library in use, where
 * {@code sgemm_} resolves, the thread count and a product's accuracy, for the bundled library and for
 * the system one (where the machine has it; {@code .ci/run} installs Debian's).
 */
class MatrixLibraryTest {
  private static final String LINUX = "linux-x86_64";

  @Test
  void bundledIsTheDefaultAndNeedsNoFile() {
    assertNull(MatrixLibrary.resolve(null, LINUX));
    assertNull(MatrixLibrary.resolve("", LINUX));
    assertNull(MatrixLibrary.resolve(" Bundled ", LINUX));
    assertNull(MatrixLibrary.resolve("bundled", "windows-x86_64"));
  }

  @Test
  void badSettingsAreOneSentence(@TempDir Path dir) {
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> MatrixLibrary.resolve("/no/such/libopenblas.so.0", LINUX));
    assertEquals("sbgm.blas must be 'bundled', 'system' or the path of an OpenBLAS library (libopenblas.so.0), "
        + "got '/no/such/libopenblas.so.0', which is not a file", missing.getMessage());
    InvalidInputException folder = assertThrows(InvalidInputException.class,
        () -> MatrixLibrary.resolve(dir.toString(), LINUX));
    assertTrue(folder.getMessage().endsWith("which is not a file"), folder.getMessage());
    InvalidInputException os = assertThrows(InvalidInputException.class,
        () -> MatrixLibrary.resolve("system", "macosx-arm64"));
    assertEquals("sbgm.blas=system is supported on Linux only (this is macosx-arm64); unset it to use the bundled OpenBLAS",
        os.getMessage());
  }

  @Test
  void systemLooksInTheDistributionsFolders() {
    assertEquals(List.of(Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"), Path.of("/usr/lib64/libopenblas.so.0"),
        Path.of("/usr/lib/libopenblas.so.0"), Path.of("/usr/local/lib/libopenblas.so.0")),
        MatrixLibrary.systemCandidates(LINUX));
    assertEquals(Path.of("/usr/lib/aarch64-linux-gnu/libopenblas.so.0"), MatrixLibrary.systemCandidates("linux-arm64").get(0));
    Path found = systemOpenBlas();
    if (found == null) {
      InvalidInputException none = assertThrows(InvalidInputException.class, () -> MatrixLibrary.resolve("system", LINUX));
      assertTrue(none.getMessage().startsWith("sbgm.blas=system, but no libopenblas.so.0 was found in"), none.getMessage());
    } else {
      assertEquals(found, MatrixLibrary.resolve("SYSTEM", LINUX));
    }
  }

  @Test
  void mappedFileFindsTheLibraryOfAnAddress() {
    assumeTrue(Loader.getPlatform().startsWith("linux"));
    Torch.init();
    String libc = MatrixLibrary.mappedFile(Loader.addressof("malloc").address());
    assertTrue(libc != null && Path.of(libc).getFileName().toString().startsWith("libc"), String.valueOf(libc));
    assertNull(MatrixLibrary.mappedFile(0L));
  }

  /** The first existing system candidate, or null. */
  private static Path systemOpenBlas() {
    return MatrixLibrary.systemCandidates(Loader.getPlatform()).stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  private static ChildProcess.Result child(String property, String environment) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SBGM_BLAS", environment);
    env.put("OMP_WAIT_POLICY", "PASSIVE");
    return ChildProcess.run(MatrixLibraryChild.class,
        property == null ? List.of() : List.of("-Dsbgm.blas=" + property), env);
  }

  private static void assertProductRight(ChildProcess.Result r) {
    assertEquals(0, r.code(), r.output());
    assertEquals("2", r.value("matrix="), r.output());
    double error = Double.parseDouble(r.value("error="));
    assertTrue(error < 1e-5, "relative error of the float32 product " + error);
  }

  @Test
  void theBundledLibraryRunsByDefault() throws Exception {
    assumeTrue(Loader.getPlatform().startsWith("linux"));
    ChildProcess.Result r = child(null, null);
    assertProductRight(r);
    assertEquals(MatrixLibrary.BUNDLED, r.value("library="));
    assertTrue(r.value("sgemm=").contains("org/bytedeco/openblas"), r.output());
  }

  @Test
  void theSystemLibraryRunsWhenAskedFor() throws Exception {
    Path system = systemOpenBlas();
    assumeTrue(Loader.getPlatform().startsWith("linux") && system != null, "no system OpenBLAS on this machine");
    String real = system.toRealPath().toString();
    for (String[] how : new String[][] {{"system", null}, {null, "system"}, {system.toString(), "bundled"}}) {
      ChildProcess.Result r = child(how[0], how[1]);
      assertProductRight(r);
      assertEquals(real, r.value("library="), "property " + how[0] + ", environment " + how[1]);
      assertEquals(real, r.value("sgemm="), r.output());
    }
    // the property wins over the environment
    ChildProcess.Result bundled = child("bundled", "system");
    assertProductRight(bundled);
    assertEquals(MatrixLibrary.BUNDLED, bundled.value("library="));
  }

  @Test
  void aLibraryThatIsNotOpenBlasIsRefused() throws Exception {
    assumeTrue(Loader.getPlatform().startsWith("linux"));
    Path notBlas = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
    assumeTrue(Files.isRegularFile(notBlas));
    ChildProcess.Result r = child(notBlas.toString(), null);
    assertNotEquals(0, r.code());
    assertTrue(r.output().contains("sbgm.blas names " + notBlas + ", but that library does not provide OpenBLAS's "
        + "openblas_set_num_threads"), r.output());
    ChildProcess.Result missing = child("/no/such/libopenblas.so.0", null);
    assertNotEquals(0, missing.code());
    assertTrue(missing.output().contains("got '/no/such/libopenblas.so.0', which is not a file"), missing.output());
  }
}
