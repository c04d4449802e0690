package org.sbgm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.sbgm.distributed.DistributedException;
import org.sbgm.distributed.Group;
import org.sbgm.torch.Torch;

/**
 * A test-only stand-in for a c10d process group: N ranks as N threads of one JVM, exchanging through
 * shared arrays between the phases of a {@link CyclicBarrier}. It implements the {@link Group} contract
 * (every collective returns on every rank with the same value, rows gathered in rank order, sums taken
 * in rank order) so that the library's sharded code paths run with several ranks in a unit test; it does
 * not test c10d itself (Gloo's own reductions, sockets, timeouts). A rank that throws breaks the barrier,
 * so the other ranks fail promptly instead of waiting.
 */
final class ThreadRanks implements Group {
  private static final long TIMEOUT_SECONDS = 120;

  /** What the ranks share. */
  private static final class Hub {
    final CyclicBarrier barrier;
    final Object[] slots;

    Hub(int size) {
      barrier = new CyclicBarrier(size);
      slots = new Object[size];
    }
  }

  private final Hub hub;
  private final int rank;
  private double seconds;

  private ThreadRanks(Hub hub, int rank) {
    this.hub = hub;
    this.rank = rank;
  }

  /** Runs {@code body} on {@code size} ranks (threads) and returns each rank's result in rank order. */
  static <T> List<T> run(int size, Function<Group, T> body) {
    Hub hub = new Hub(size);
    ExecutorService pool = Executors.newFixedThreadPool(size);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int r = 0; r < size; r++) {
        ThreadRanks g = new ThreadRanks(hub, r);
        futures.add(pool.submit(() -> {
          try {
            return body.apply(g);
          } catch (RuntimeException | Error e) {
            hub.barrier.reset(); // the other ranks' next collective fails at once
            throw e;
          }
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(TIMEOUT_SECONDS * 2, TimeUnit.SECONDS));
      }
      return out;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new RuntimeException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Puts {@code value} in this rank's slot and returns every rank's, once all have put theirs. */
  private Object[] exchange(Object value) {
    long t0 = System.nanoTime();
    try {
      hub.slots[rank] = value;
      await();
      Object[] all = hub.slots.clone();
      await(); // nobody overwrites a slot before every rank has read them all
      return all;
    } finally {
      seconds += (System.nanoTime() - t0) / 1e9;
    }
  }

  private void await() {
    try {
      hub.barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new DistributedException("rank " + rank + ": another rank failed or stalled", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DistributedException("rank " + rank + " was interrupted", e);
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return hub.slots.length;
  }

  @Override
  public String backend() {
    return "threads";
  }

  @Override
  public void allreduceSum(List<Tensor> tensors) {
    Object[] all = exchange(tensors);
    try (PointerScope scope = new PointerScope()) {
      for (int i = 0; i < tensors.size(); i++) {
        Tensor sum = null;
        for (Object o : all) {
          @SuppressWarnings("unchecked")
          Tensor t = ((List<Tensor>) o).get(i);
          sum = sum == null ? t.clone() : sum.add(t);
        }
        exchange(null); // every rank has summed before any overwrites its tensor
        tensors.get(i).copy_(sum);
      }
    }
  }

  @Override
  public double[] allreduceSum(double[] values) {
    Object[] all = exchange(values.clone());
    double[] sum = new double[values.length];
    for (Object o : all) {
      double[] v = (double[]) o;
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
    }
    return sum;
  }

  @Override
  public double allreduceMax(double value) {
    double max = Double.NEGATIVE_INFINITY;
    for (Object o : exchange(value)) {
      max = Math.max(max, (Double) o);
    }
    return max;
  }

  @Override
  public void broadcast(List<Tensor> tensors, int root) {
    Object[] all = exchange(tensors);
    @SuppressWarnings("unchecked")
    List<Tensor> from = (List<Tensor>) all[root];
    List<Tensor> copies = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      for (Tensor t : from) {
        copies.add(Torch.retain(t.clone()));
      }
    }
    exchange(null); // every rank has copied the root's before anyone writes
    for (int i = 0; i < tensors.size(); i++) {
      tensors.get(i).copy_(copies.get(i));
      copies.get(i).releaseReference();
    }
  }

  @Override
  public Tensor allgatherRows(Tensor rows) {
    Object[] all = exchange(rows);
    Tensor[] parts = new Tensor[all.length];
    for (int i = 0; i < all.length; i++) {
      parts[i] = (Tensor) all[i];
    }
    Tensor gathered = torch.cat(new TensorVector(parts), 0).contiguous(); // a fresh tensor in the caller's scope
    exchange(null); // every rank has copied the others' rows before any frees its own
    return gathered;
  }

  @Override
  public void barrier() {
    exchange(null);
  }

  @Override
  public double collectiveSeconds() {
    return seconds;
  }

  @Override
  public void close() {}
}
