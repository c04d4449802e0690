package org.sbgm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketPermission;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.sbgm.model.TinyRuns;

/**
 * A JVM in which every way Java code could reach the network is refused and recorded, running the CLI's
 * commands in-process: the socket factories of {@link Socket}, {@link ServerSocket} and
 * {@link DatagramSocket}; a {@link SelectorProvider} (installed with {@code
 * -Djava.nio.channels.spi.SelectorProvider}) that refuses socket and datagram channels, through which
 * {@code java.net.http} and NIO connect; and, where the JVM still allows one (JDK 17 to 23), a security
 * manager that refuses every {@link SocketPermission}, which also covers name lookups. First a control
 * proves each guard fires, then the commands run; the output ends with {@code attempts=N} and the
 * process exits 0 only when every command succeeded with no attempt and no internet socket is open.
 * Two things are reported but not counted: the JDK's font configuration (drawing a plot's text) looks
 * up this host's own name for its cache file, refused here (it then uses "localhost"); and libtorch opens
 * a Unix-domain socket pair when it loads, local IPC rather than network.
 */
public final class NoNetwork {
  static final List<String> ATTEMPTS = Collections.synchronizedList(new ArrayList<>());
  /** Refused lookups of this host's own name by the JDK's font configuration (it then uses "localhost"). */
  static final List<String> LOCAL_NAME_LOOKUPS = Collections.synchronizedList(new ArrayList<>());
  private static volatile boolean armed = true;

  private NoNetwork() {}

  static SecurityException refuse(String what) {
    SecurityException e = new SecurityException("network access refused in this test: " + what);
    if (armed) {
      StringWriter w = new StringWriter();
      e.printStackTrace(new PrintWriter(w));
      String trace = w.toString();
      boolean fontCacheName = what.equals("SocketPermission " + org.sbgm.model.DirectoryLock.hostName() + " resolve")
          && trace.contains("at java.base/java.net.InetAddress.getLocalHost(")
          && trace.contains("at java.desktop/sun.font.FcFontConfiguration.getFcInfoFile(");
      (fontCacheName ? LOCAL_NAME_LOOKUPS : ATTEMPTS).add(trace);
    }
    return e;
  }

  /** The selector provider of this JVM: pipes and selectors as usual, no socket or datagram channels. */
  public static final class RefusingSelectorProvider extends SelectorProvider {
    private final SelectorProvider delegate = platformDefault();

    /** The JDK's own provider (needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}). */
    private static SelectorProvider platformDefault() {
      try {
        return (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider").getMethod("get").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot reach the JDK's selector provider: " + e, e);
      }
    }

    @Override
    public DatagramChannel openDatagramChannel() {
      throw refuse("DatagramChannel.open");
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) {
      throw refuse("DatagramChannel.open(" + family + ")");
    }

    @Override
    public Pipe openPipe() throws IOException {
      return delegate.openPipe();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
      return delegate.openSelector();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() {
      throw refuse("ServerSocketChannel.open");
    }

    @Override
    public SocketChannel openSocketChannel() {
      throw refuse("SocketChannel.open");
    }
  }

  @SuppressWarnings({"deprecation", "removal"})
  static boolean install() throws IOException {
    Socket.setSocketImplFactory(() -> {
      throw refuse("new Socket");
    });
    ServerSocket.setSocketFactory(() -> {
      throw refuse("new ServerSocket");
    });
    DatagramSocket.setDatagramSocketImplFactory(() -> {
      throw refuse("new DatagramSocket");
    });
    if (!(SelectorProvider.provider() instanceof RefusingSelectorProvider)) {
      throw new IllegalStateException("start this JVM with -Djava.nio.channels.spi.SelectorProvider="
          + RefusingSelectorProvider.class.getName());
    }
    try {
      System.setSecurityManager(new SecurityManager() {
        @Override
        public void checkPermission(Permission p) {
          if (p instanceof SocketPermission) {
            throw refuse("SocketPermission " + p.getName() + " " + p.getActions());
          }
        }

        @Override
        public void checkPermission(Permission p, Object context) {
          checkPermission(p);
        }
      });
      return true;
    } catch (UnsupportedOperationException e) {
      return false; // JDK 24 and later: the socket factories and the selector provider remain
    }
  }

  interface Attempt {
    void run() throws Exception;
  }

  /** Runs {@code a}, which must be refused by a guard; returns 1 when it was. */
  static int refused(String what, Attempt a) {
    int before = ATTEMPTS.size();
    try {
      a.run();
      System.out.println("control: " + what + " was NOT refused");
      return 0;
    } catch (SecurityException e) {
      return ATTEMPTS.size() > before ? 1 : 0;
    } catch (Exception e) {
      Throwable c = e;
      while (c != null && !(c instanceof SecurityException)) {
        c = c.getCause();
      }
      return c != null && ATTEMPTS.size() > before ? 1 : 0;
    }
  }

  /** Which table of /proc/self/net lists the socket inode of {@code target} ("socket:[123]"). */
  static String socketKind(String target) {
    String inode = target.replaceAll("[^0-9]", "");
    for (String table : List.of("tcp", "tcp6", "udp", "udp6", "raw", "unix", "netlink")) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
          if ((" " + line + " ").contains(" " + inode + " ")) {
            return table + ": " + line.strip();
          }
        }
      } catch (IOException e) {
        // a table this kernel does not have
      }
    }
    return "(not in /proc/self/net)";
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean manager = install();
    int controls = 0;
    int refusals = 0;
    List<Attempt> tries = new ArrayList<>(List.of(
        () -> new Socket("127.0.0.1", 9).close(),
        () -> new Socket().close(),
        () -> new ServerSocket(0).close(),
        () -> new DatagramSocket().close(),
        () -> SocketChannel.open(new InetSocketAddress("127.0.0.1", 9)).close(),
        () -> ServerSocketChannel.open().close(),
        () -> DatagramChannel.open().close(),
        () -> java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:9/")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()),
        () -> new java.net.URL("http://127.0.0.1:9/").openStream().close()));
    if (manager) {
      tries.add(() -> InetAddress.getByName("example.org"));
    }
    for (Attempt a : tries) {
      controls++;
      refusals += refused("attempt " + controls, a);
    }
    System.out.println("control: " + refusals + "/" + controls + " network attempts refused (security manager " + (manager ? "on" : "unavailable") + ")");
    ATTEMPTS.clear();

    Path config = TinyRuns.config(dir.resolve("tiny.yaml"), 20);
    Path model = dir.resolve("model");
    Path oracle = Cli.eightGaussiansJson(dir.resolve("eight.json"));
    String[][] commands = {
        {"--help"},
        {"train", "--config", config.toString(), "--out", model.toString(), "--steps", "10"},
        {"train", "--config", config.toString(), "--out", model.toString(), "--resume"},
        {"sample", "--model", model.toString(), "--n", "50", "--sampler", "em", "--steps", "20", "--out",
            dir.resolve("em.npy").toString(), "--png", dir.resolve("em.png").toString(), "--trajectory", dir.resolve("t.png").toString()},
        {"sample", "--model", model.toString(), "--n", "50", "--out", dir.resolve("ode.npy").toString()},
        {"loglik", "--model", model.toString(), "--data", dir.resolve("ode.npy").toString(), "--out", dir.resolve("ll.npy").toString()},
        {"loglik", "--oracle", oracle.toString(), "--data", dir.resolve("ode.npy").toString(), "--divergence", "hutchinson",
            "--out", dir.resolve("oracle-ll.npy").toString()},
        {"grf", "--size", "8", "--n", "4", "--condition", "1.0,3.0", "--out", dir.resolve("grf.npy").toString()},
        {"demo", "--out", dir.resolve("demo").toString(), "--steps", "20", "--points", "50", "--grid", "8", "--samples", "50"},
        {"bench", "--threads", "1", "--only", "mlp-train-256"},
    };
    int failures = 0;
    for (String[] c : commands) {
      List<String> args1 = new ArrayList<>(List.of(c));
      if (!c[0].equals("--help")) {
        args1.addAll(List.of("--quiet", "--threads", "1"));
      }
      if (c[0].equals("bench")) {
        args1 = List.of(c);
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(args1.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
      System.out.println("command: sbgm " + c[0] + " exit=" + code + (code == 0 ? "" : " " + err));
      failures += code == 0 ? 0 : 1;
    }
    long sockets = 0;
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:")) {
            String kind = socketKind(target);
            boolean local = kind.startsWith("unix") || kind.startsWith("netlink");
            sockets += local ? 0 : 1;
            System.out.println((local ? "local socket (not network): " : "NETWORK socket: ") + "fd " + fd.getFileName() + " " + kind);
          }
        } catch (IOException e) {
          // a descriptor closed meanwhile
        }
      }
    }
    armed = false;
    System.out.println("open_network_sockets=" + sockets);
    System.out.println("font_cache_local_host_name_lookups=" + LOCAL_NAME_LOOKUPS.size());
    System.out.println("failed_commands=" + failures);
    ATTEMPTS.forEach(System.out::println);
    System.out.println("attempts=" + ATTEMPTS.size());
    System.exit(failures == 0 && ATTEMPTS.isEmpty() && sockets == 0 && refusals == controls ? 0 : 1);
  }
}
