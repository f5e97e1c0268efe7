package dev.baedal.systemtests;

import dev.baedal.devinfra.Crashable;
import dev.baedal.devinfra.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Kafka broker out of the test JVM, so that a fault test can SIGKILL it: {@code baedal kafka
 * --port P --data-dir D} from the fat jar ({@code launcher/target/baedal.jar}, made by the
 * launcher's {@code package}; so it serves the {@code *IT} tests, which failsafe runs after {@code
 * package}). {@link #kill()} and then {@link #start()} bring the same broker back on the same port
 * and log directory. The shared broker of {@link dev.baedal.devinfra.TestInfra} stays what ordinary
 * tests use.
 *
 * <pre>{@code
 * try (KafkaProcess kafka = KafkaProcess.start(dir)) {
 *   ... settings.with("kafka", kafka.bootstrap()) ...
 *   kafka.kill();   // SIGKILL: no controlled shutdown, no flush
 *   kafka.start();  // the same broker: its log recovered from the data directory
 * }
 * }</pre>
 */
final class KafkaProcess implements Crashable, AutoCloseable {
  private final Path workDir;
  private final Path dataDir;
  private final int port;
  private JarProcess process;

  private KafkaProcess(Path workDir, int port) {
    this.workDir = workDir;
    this.dataDir = workDir.resolve("kafka");
    this.port = port;
  }

  /** Starts a broker on a free port with its data in {@code workDir/kafka}. */
  static KafkaProcess start(Path workDir) throws IOException {
    KafkaProcess kafka = new KafkaProcess(workDir, JarProcess.freePort());
    kafka.start();
    return kafka;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  Path dataDir() {
    return dataDir;
  }

  /** The broker JVM's process id; fails when it is not running. */
  synchronized long pid() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("the broker on " + bootstrap() + " is not running");
    }
    return process.pid();
  }

  /** The broker's output so far (of the current process). */
  synchronized String output() {
    return process == null ? "" : process.output();
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          JarProcess.start(
              "baedal kafka",
              workDir,
              Map.of(),
              "Kafka ready at",
              "kafka",
              "--port",
              String.valueOf(port),
              "--data-dir",
              dataDir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, and waits for the broker's controlled shutdown. */
  @Override
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      try {
        process.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public synchronized void pause() {
    Signals.stopTree(pid());
  }

  @Override
  public synchronized void resume() {
    Signals.continueTree(pid());
  }

  /** SIGKILL, and returns once the JVM is gone. */
  @Override
  public synchronized void kill() {
    Signals.killTree(pid());
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      if (process.isAlive()) {
        Signals.continueTree(process.pid()); // a paused JVM does not die of SIGTERM
      }
      process.close();
    }
  }
}
