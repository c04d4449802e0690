package org.sbgm.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sbgm.InvalidInputException;
import org.sbgm.torch.DType;
import org.sbgm.torch.Torch;

/** Two ranks in one JVM (a thread each, a C10dGroup each) over loopback Gloo. */
public class C10dGroupTest {
  @BeforeAll
  static void init() {
    Torch.init();
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Runs {@code body} on ranks 0 and 1 of a fresh two-rank group, each in its own thread. */
  static <T> List<T> onTwoRanks(Function<Group, T> body) throws Exception {
    int port = freePort();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int rank = r;
        futures.add(pool.submit(() -> {
          try (Group g = C10dGroup.connect(Rendezvous.local(rank, 2, port), Duration.ofSeconds(20), false)) {
            return body.apply(g);
          }
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void collectivesAgreeWithTheirDefinitions() throws Exception {
    List<double[][]> results = onTwoRanks(g -> {
      int r = g.rank();
      try (PointerScope scope = new PointerScope()) {
        // many small tensors (one bucket) and one large one (its own bucket), float32 and float64
        List<Tensor> ts = new ArrayList<>();
        ts.add(Torch.tensor(new double[] {1 + r, 2 + r, 3 + r, 4 + r}, DType.FLOAT32, 2, 2));
        ts.add(Torch.tensor(new double[] {10.0 * (r + 1)}, DType.FLOAT64, 1));
        double[] big = new double[(int) (C10dGroup.BUCKET_BYTES / 4) + 3];
        for (int i = 0; i < big.length; i++) {
          big[i] = r == 0 ? i : 1;
        }
        ts.add(Torch.tensor(big, DType.FLOAT32, big.length));
        ts.add(Torch.tensor(new double[] {r, -r}, DType.FLOAT32, 2).t());
        g.allreduceSum(ts);
        double[] sums = g.allreduceSum(new double[] {r + 0.5, 1});
        double max = g.allreduceMax(r == 1 ? 7.0 : -3.0);
        Tensor b = Torch.tensor(new double[] {r + 100, r + 200}, DType.FLOAT64, 2);
        g.broadcast(List.of(b), 1);
        Tensor rows = Torch.tensor(r == 0 ? new double[] {1, 2, 3, 4, 5, 6} : new double[] {7, 8}, DType.FLOAT64,
            r == 0 ? 3 : 1, 2);
        Tensor gathered = g.allgatherRows(rows);
        Tensor none = g.allgatherRows(Torch.tensor(r == 0 ? new double[] {} : new double[] {9, 9}, DType.FLOAT64, r, 2));
        g.barrier();
        double[] bigOut = Torch.toDoubles(ts.get(2));
        return new double[][] {Torch.toDoubles(ts.get(0)), Torch.toDoubles(ts.get(1)),
            {bigOut[0], bigOut[bigOut.length - 1]}, Torch.toDoubles(ts.get(3)), sums, {max}, Torch.toDoubles(b),
            Torch.toDoubles(gathered), Torch.toDoubles(none), {Torch.shape(gathered)[0], Torch.shape(none)[0]},
            {g.collectiveSeconds()}};
      }
    });
    for (double[][] res : results) {
      assertArrayEquals(new double[] {3, 5, 7, 9}, res[0]);
      assertArrayEquals(new double[] {30}, res[1]);
      assertArrayEquals(new double[] {1, C10dGroup.BUCKET_BYTES / 4 + 3}, res[2]);
      assertArrayEquals(new double[] {1, -1}, res[3]);
      assertArrayEquals(new double[] {2, 2}, res[4]);
      assertArrayEquals(new double[] {7}, res[5]);
      assertArrayEquals(new double[] {101, 201}, res[6]);
      assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, res[7]);
      assertArrayEquals(new double[] {9, 9}, res[8]);
      assertArrayEquals(new double[] {4, 1}, res[9]);
      assertTrue(res[10][0] > 0);
    }
  }

  @Test
  void ranksJoinAStoreServedByALauncher() throws Exception {
    // what torchrun's agent does with TORCHELASTIC_USE_AGENT_STORE=True: it serves the store, rank 0 is a client
    int port = freePort();
    org.bytedeco.pytorch.TCPStoreOptions o = new org.bytedeco.pytorch.TCPStoreOptions();
    o.port((short) port);
    o.isServer(true);
    o.waitWorkers(false);
    org.bytedeco.pytorch.TCPStore agent = new org.bytedeco.pytorch.TCPStore("127.0.0.1", o);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<double[]>> fs = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int rank = r;
        fs.add(pool.submit(() -> {
          Rendezvous rv = new Rendezvous(rank, 2, rank, 2, "127.0.0.1", port, false, "torchrun", true);
          try (Group g = C10dGroup.connect(rv, Duration.ofSeconds(20), false)) {
            return g.allreduceSum(new double[] {rank + 1});
          }
        }));
      }
      for (Future<double[]> f : fs) {
        assertArrayEquals(new double[] {3}, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      agent.close();
    }
  }

  @Test
  void portInUseIsOneSentence() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> C10dGroup.connect(Rendezvous.local(0, 2, taken.getLocalPort()), Duration.ofSeconds(5), false));
      assertTrue(e.getMessage().contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use"), e.getMessage());
    }
  }

  @Test
  void unreachableMasterFailsAfterTheTimeout() throws Exception {
    int port = freePort();
    long t0 = System.nanoTime();
    DistributedException e = assertThrows(DistributedException.class,
        () -> C10dGroup.connect(Rendezvous.local(1, 2, port), Duration.ofSeconds(3), false));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().startsWith("Rank 1 could not reach the master 127.0.0.1:" + port + " within 3 s"), e.getMessage());
    assertTrue(seconds >= 2.5 && seconds < 20, "took " + seconds + " s");
    assertEquals(1, e.getMessage().lines().count());
  }
}
