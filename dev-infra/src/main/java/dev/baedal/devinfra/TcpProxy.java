package dev.baedal.devinfra;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy for fault tests: listens on a port of 127.0.0.1 and forwards each connection to a
 * target, and breaks the network between them on demand, the way a real network breaks.
 *
 * <ul>
 *   <li>{@link #cut()}: every open connection is closed at once; new ones go through.
 *   <li>{@link #partition()}: a black hole, like a cable pulled: open connections stay open but
 *       carry nothing either way, new ones are accepted and hang; until {@link #heal()}.
 *   <li>{@link #refuse()}: open connections are cut and new ones refused (nothing listens on the
 *       port), like a peer that is down; until {@link #heal()}.
 *   <li>{@link #heal()}: back to forwarding; the connections that hung in the partition are closed
 *       (as TCP would give them up), so clients reconnect.
 *   <li>{@link #loseNextCommitAck()}: for a PostgreSQL target, the next COMMIT (simple query, or
 *       Parse/Bind/Execute) is forwarded to the server, the server's answer is read and thrown
 *       away, and the client's connection is closed: the transaction is committed, the client never
 *       learns it.
 * </ul>
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", pgPort)) {
 *   String url = "postgresql://postgres@127.0.0.1:" + proxy.port() + "/orders";
 *   CompletableFuture<TcpProxy.LostCommit> lost = proxy.loseNextCommitAck();
 *   ... // a transaction through url fails with a closed connection, and its rows are there
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

  /** How a COMMIT came (simple: a Query message; extended: Parse/Bind/Execute), and the answer. */
  public record LostCommit(String protocol, String serverAnswer) {}

  private enum Mode {
    OPEN,
    PARTITIONED,
    REFUSING
  }

  private final InetSocketAddress target;
  private final int port;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicReference<CompletableFuture<LostCommit>> loseCommit = new AtomicReference<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Mode mode = Mode.OPEN;
  private volatile boolean closed;
  private ServerSocket listener;
  private Socket portHolder;
  private Thread acceptor;

  private TcpProxy(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** A proxy on a free port of 127.0.0.1 to {@code host:port}. */
  public static TcpProxy start(String host, int port) {
    return start(0, host, port);
  }

  /** A proxy on {@code listenPort} of 127.0.0.1 (0: a free one) to {@code host:port}. */
  public static TcpProxy start(int listenPort, String host, int port) {
    TcpProxy proxy =
        new TcpProxy(
            new InetSocketAddress(host, port),
            listenPort == 0 ? KafkaBroker.freePort() : listenPort);
    proxy.listen();
    return proxy;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** How many connections it accepted since it started. */
  public int accepted() {
    return accepted.get();
  }

  /** How many connections are open through it now. */
  public int open() {
    return links.size();
  }

  /** Closes every open connection now; new connections go through as before. */
  public void cut() {
    links.forEach(Link::close);
  }

  /**
   * From now until {@link #heal()}, nothing passes: open connections stay open and carry nothing,
   * new ones are accepted and carry nothing.
   */
  public void partition() {
    mode = Mode.PARTITIONED;
    links.forEach(l -> l.silent = true);
    log.info("proxy :{} -> {}: partitioned", port, target);
  }

  /** Cuts every open connection and refuses new ones (nothing listens) until {@link #heal()}. */
  public synchronized void refuse() {
    mode = Mode.REFUSING;
    closeListener();
    cut();
    holdPort();
    log.info("proxy :{} -> {}: refusing connections", port, target);
  }

  /**
   * Ends a partition or a refusal: the connections that hung in the partition are closed, new
   * connections go through.
   */
  public synchronized void heal() {
    Mode was = mode;
    mode = Mode.OPEN;
    links.stream().filter(l -> l.silent).forEach(Link::close);
    if (was == Mode.REFUSING) {
      releasePort();
      listen();
    }
    log.info("proxy :{} -> {}: healed", port, target);
  }

  /**
   * Arms the lost COMMIT acknowledgement (see the class comment), once; the future completes when
   * it happened.
   */
  public CompletableFuture<LostCommit> loseNextCommitAck() {
    CompletableFuture<LostCommit> f = new CompletableFuture<>();
    loseCommit.set(f);
    return f;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeListener();
    releasePort();
    cut();
  }

  private synchronized void listen() {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      listener = s;
      Thread t = new Thread(() -> accept(s), "proxy-" + port + "-accept");
      t.setDaemon(true);
      acceptor = t;
      t.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on 127.0.0.1:" + port, e);
    }
  }

  /**
   * Keeps the port bound without listening while refusing, where the system lets it: a connection
   * to it is refused (RST), and neither another process's listener nor a client's own ephemeral
   * port (a TCP self-connect) can take it meanwhile.
   */
  private void holdPort() {
    try {
      Socket holder = new Socket();
      holder.setReuseAddress(true);
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      portHolder = holder;
    } catch (IOException e) {
      // connections of ours still on the port: nothing else can take it either, meanwhile
      log.debug("proxy :{}: port not held ({})", port, e.toString());
    }
  }

  private void releasePort() {
    if (portHolder != null) {
      closeQuietly(portHolder);
      portHolder = null;
    }
  }

  private void closeListener() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
      // the socket is only released once the thread blocked in accept() has left it: until then
      // it may still complete a handshake, so wait for that thread before saying it is closed
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void accept(ServerSocket s) {
    while (!closed && !s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return; // the listener was closed
      }
      accepted.incrementAndGet();
      Link link = new Link(client);
      links.add(link);
      if (mode == Mode.PARTITIONED) {
        link.silent = true;
        link.pump(link.clientIn(), null, true);
        continue;
      }
      try {
        link.connect();
      } catch (IOException e) {
        log.debug("proxy :{}: {} is unreachable", port, target, e);
        link.close();
      }
    }
  }

  /** One client connection and its connection to the target. */
  private final class Link {
    final Socket client;
    final Socket server = new Socket();
    final PgWire.CommitSniffer sniffer = new PgWire.CommitSniffer();
    volatile boolean silent;

    /** Set when a COMMIT went to the server whose answer is to be lost. */
    volatile CompletableFuture<LostCommit> losing;

    volatile String losingProtocol;

    Link(Socket client) {
      this.client = client;
    }

    InputStream clientIn() {
      try {
        return client.getInputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void connect() throws IOException {
      server.connect(target, 5000);
      server.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      pump(client.getInputStream(), server.getOutputStream(), true);
      pump(server.getInputStream(), client.getOutputStream(), false);
    }

    void pump(InputStream in, OutputStream out, boolean fromClient) {
      Thread t =
          new Thread(
              () -> copy(in, out, fromClient),
              "proxy-" + port + (fromClient ? "-up-" : "-down-") + client.getPort());
      t.setDaemon(true);
      t.start();
    }

    private void copy(InputStream in, OutputStream out, boolean fromClient) {
      byte[] buf = new byte[16 * 1024];
      PgWire.Answer answer = new PgWire.Answer();
      try {
        for (int n; (n = in.read(buf)) != -1; ) {
          if (silent || out == null) {
            continue; // the black hole: read and dropped
          }
          if (fromClient) {
            String commit = sniffer.feed(buf, n);
            CompletableFuture<LostCommit> armed =
                commit == null ? null : loseCommit.getAndSet(null);
            if (armed != null) {
              losingProtocol = commit;
              losing = armed;
            }
            out.write(buf, 0, n);
            out.flush();
          } else if (losing != null) {
            String tag = answer.feed(buf, n);
            if (tag != null) {
              CompletableFuture<LostCommit> f = losing;
              log.info("proxy :{}: the answer '{}' to a COMMIT is lost", port, tag);
              close();
              f.complete(new LostCommit(losingProtocol, tag));
              return;
            }
          } else {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        log.trace("proxy :{}: connection ended", port, e);
      } finally {
        if (!silent) {
          close();
        }
      }
    }

    void close() {
      links.remove(this);
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing is all that is left to do
    }
  }
}
