package org.sbgm.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;

class RendezvousTest {
  @Test
  void torchrunVariables() {
    Rendezvous r = Rendezvous.fromEnvironment(Map.of("RANK", "5", "WORLD_SIZE", "8", "LOCAL_RANK", "1",
        "LOCAL_WORLD_SIZE", "4", "MASTER_ADDR", "node0", "MASTER_PORT", "29500"), null).orElseThrow();
    assertEquals(new Rendezvous(5, 8, 1, 4, "node0", 29500, false, "torchrun", false), r);
    assertEquals("node0:29500", r.master());
  }

  @Test
  void torchrunsAgentServesTheStore() {
    Rendezvous r = Rendezvous.fromEnvironment(Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1",
        "MASTER_PORT", "29500", "TORCHELASTIC_USE_AGENT_STORE", "True"), null).orElseThrow();
    assertTrue(r.externalStore());
  }

  @Test
  void slurmVariablesWithAMasterFlag() {
    Rendezvous r = Rendezvous.fromEnvironment(Map.of("SLURM_PROCID", "3", "SLURM_NTASKS", "4", "SLURM_LOCALID", "1",
        "SLURM_NTASKS_PER_NODE", "2(x2)"), "10.0.0.7:1234").orElseThrow();
    assertEquals(new Rendezvous(3, 4, 1, 2, "10.0.0.7", 1234, false, "slurm", false), r);
  }

  @Test
  void noLauncherMeansOneProcess() {
    assertTrue(Rendezvous.fromEnvironment(Map.of("PATH", "/bin"), null).isEmpty());
  }

  @Test
  void explicitAndLocal() {
    assertEquals(new Rendezvous(1, 2, 1, 2, "::1", 7, false, "explicit", false), Rendezvous.explicit(1, 2, "[::1]:7"));
    assertEquals("[::1]:7", Rendezvous.explicit(1, 2, "[::1]:7").master());
    assertTrue(Rendezvous.local(0, 2, 9000).loopbackOnly());
  }

  @Test
  void badInputsAreOneSentence() {
    assertEquals("The environment has RANK=2 and WORLD_SIZE=2; expected 0 <= RANK < WORLD_SIZE.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.fromEnvironment(Map.of("RANK", "2", "WORLD_SIZE", "2",
            "MASTER_ADDR", "h", "MASTER_PORT", "1"), null)).getMessage());
    assertEquals("The torchrun environment lacks WORLD_SIZE; expected it beside the other rank variables.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.fromEnvironment(Map.of("RANK", "0"), null)).getMessage());
    assertEquals("The environment variable RANK is 'x'; expected an integer.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.fromEnvironment(Map.of("RANK", "x", "WORLD_SIZE", "2"),
            null)).getMessage());
    assertTrue(assertThrows(InvalidInputException.class, () -> Rendezvous.fromEnvironment(Map.of("RANK", "0",
        "WORLD_SIZE", "2", "MASTER_ADDR", "h"), null)).getMessage()
        .startsWith("The torchrun environment names no master: MASTER_ADDR is 'h' and MASTER_PORT is unset"));
    assertEquals("--master is 'host'; expected host:port, e.g. 10.0.0.1:29500.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.explicit(0, 2, "host")).getMessage());
    assertEquals("The master port in --master h:70000 is '70000'; expected a port in [1, 65535].",
        assertThrows(InvalidInputException.class, () -> Rendezvous.explicit(0, 2, "h:70000")).getMessage());
    assertEquals("The rank is 2 (explicit); expected a rank in [0, 1] for world size 2.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.explicit(2, 2, "h:1")).getMessage());
  }

  @Test
  void resolveTakesTheFlagsThenTheEnvironmentElseOneProcess() {
    Map<String, String> torchrun = Map.of("RANK", "1", "WORLD_SIZE", "4", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "2",
        "MASTER_ADDR", "n1", "MASTER_PORT", "29500");
    Rendezvous flags = Rendezvous.resolve(0, 2, "h:7", torchrun).orElseThrow();
    assertEquals(new Rendezvous(0, 2, 0, 2, "h", 7, false, "explicit", false), flags);
    Rendezvous env = Rendezvous.resolve(null, null, null, torchrun).orElseThrow();
    assertEquals(1, env.rank());
    assertEquals(4, env.worldSize());
    assertEquals("n1", env.host());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), env.threadsPerRank());
    assertTrue(Rendezvous.resolve(null, null, null, Map.of()).isEmpty());
    assertEquals("--rank, --world-size and --master go together; got --rank 0, --world-size null, --master null.",
        assertThrows(InvalidInputException.class, () -> Rendezvous.resolve(0, null, null, Map.of())).getMessage());
    assertTrue(assertThrows(InvalidInputException.class, () -> Rendezvous.resolve(null, null, "h:7", Map.of()))
        .getMessage().startsWith("--master h:7 was given without --rank/--world-size"));
  }
}
