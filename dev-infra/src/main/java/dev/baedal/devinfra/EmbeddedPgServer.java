package dev.baedal.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL as the process tree it is (postmaster, checkpointer, WAL writer,
 * backends), on a data directory and port of its own that survive {@link #stop()}, {@link #kill()}
 * and {@link #start()}: {@link #pause()} sends SIGSTOP to the postmaster and all its children,
 * {@link #kill()} SIGKILL, and {@link #start()} brings the same server back, after a kill through
 * PostgreSQL's crash recovery.
 *
 * <pre>{@code
 * try (EmbeddedPgServer pg = EmbeddedPgServer.start(true)) {
 *   String url = pg.freshDatabase("orders");
 *   pg.pause(); ... pg.resume();
 *   pg.kill(); pg.start();
 * }
 * }</pre>
 */
public final class EmbeddedPgServer implements PgServer {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPgServer.class);

  private final Path dataDir;
  private final int port;
  private final boolean durable;
  private EmbeddedPg pg;

  private EmbeddedPgServer(Path dataDir, int port, boolean durable) {
    this.dataDir = dataDir;
    this.port = port;
    this.durable = durable;
  }

  /**
   * Starts a server in a new temporary data directory on a free port; {@code durable}: fsync and
   * synchronous commit on (what a crash test needs).
   */
  public static EmbeddedPgServer start(boolean durable) {
    try {
      Path dir = Files.createTempDirectory("baedal-pg");
      EmbeddedPgServer server = new EmbeddedPgServer(dir, KafkaBroker.freePort(), durable);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public String adminUrl() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** The postmaster's process id, from {@code postmaster.pid}; fails when it is not running. */
  public synchronized long pid() {
    if (pg == null) {
      throw new IllegalStateException("PostgreSQL on port " + port + " is not running");
    }
    try {
      String first =
          Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0);
      return Long.parseLong(first.trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void start() {
    if (pg == null) {
      pg = EmbeddedPg.start(dataDir, port, durable);
    }
  }

  @Override
  public synchronized void stop() {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  @Override
  public synchronized void pause() {
    long pid = pid();
    log.info("PostgreSQL on port {}: SIGSTOP to {}", port, Signals.stopTree(pid));
  }

  @Override
  public synchronized void resume() {
    Signals.continueTree(pid());
    log.info("PostgreSQL on port {}: SIGCONT", port);
  }

  @Override
  public synchronized void kill() {
    long pid = pid();
    Signals.killTree(pid);
    log.info(
        "PostgreSQL on port {}: SIGKILL to postmaster {} and its children (zonky's 'Could not stop"
            + " postmaster' that follows is expected: nothing is left to stop)",
        port,
        pid);
    // frees the data directory's lock; its pg_ctl stop finds no server
    pg.close();
    pg = null;
  }

  @Override
  public synchronized void close() {
    if (pg != null) {
      try {
        Signals.continueTree(pid()); // a paused server cannot shut down
      } catch (RuntimeException e) {
        log.debug("PostgreSQL on port {} was not paused", port, e);
      }
    }
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove {}", dataDir, e);
    }
  }
}
