package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import dev.baedal.platform.kafka.KafkaClients;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python notifier ({@code python-notifier/}) as a child process: started with {@code python}
 * (env {@code BAEDAL_PYTHON}; default Debian's {@code /usr/bin/python3}), restarted with back-off
 * when it dies, stopped with SIGTERM on exit. When Python or its Kafka package is missing the rest
 * of Baedal runs without it, and {@link #notRunning()} says why and how to fix it. Public for the
 * system tests, which run a node's notifier as {@code baedal dev} does.
 */
public final class NotifierProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifierProcess.class);

  private final Settings settings;
  private final Path dataDir;
  private volatile Process process;
  private volatile boolean stopping;
  private volatile NotRunning notRunning;
  private Thread supervisor;

  /** Why the notifier did not start, and the command or setting that fixes it. */
  record NotRunning(String reason, String fix) {}

  public NotifierProcess(Settings settings) {
    this.settings = settings;
    this.dataDir = Path.of(settings.string("data.dir")).toAbsolutePath();
  }

  /** The running notifier's process, if any. */
  public Optional<ProcessHandle> process() {
    Process p = process;
    return p == null || !p.isAlive() ? Optional.empty() : Optional.of(p.toHandle());
  }

  /** Where it writes what it delivers (its outbox sender's file). */
  public Path outboxFile() {
    return dataDir.resolve("notifications.jsonl");
  }

  /** Why it is not running, when {@link #start} could not start it. */
  Optional<NotRunning> notRunning() {
    return Optional.ofNullable(notRunning);
  }

  /**
   * Starts it if it can; says on {@code progress} what happened. Returns whether it runs; when it
   * does not, {@link #notRunning()} says why.
   */
  public boolean start(Consumer<String> progress) {
    if (!settings.flag("notifier.enabled")) {
      return notStarted(
          progress,
          new NotRunning(
              "disabled (notifier.enabled=false)",
              "set BAEDAL_NOTIFIER_ENABLED=true (or notifier.enabled in the config file)"));
    }
    Path dir = findDirectory();
    if (dir == null) {
      return notStarted(
          progress,
          new NotRunning(
              "python-notifier/ not found beside the working directory or the jar",
              "start baedal from the repository, or set BAEDAL_NOTIFIER_DIR=/path/to/python-notifier"));
    }
    String python = python();
    NotRunning problem = checkPython(python, dir);
    if (problem != null) {
      return notStarted(progress, problem);
    }
    try {
      Files.createDirectories(dataDir);
      spawn(python, dir);
    } catch (IOException e) {
      return notStarted(
          progress, new NotRunning(e.getMessage(), "check BAEDAL_PYTHON and BAEDAL_DATA_DIR"));
    }
    supervisor = new Thread(() -> supervise(python, dir), "notifier-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
    progress.accept(
        String.format(
            "%-8s started (%s -m notifier, outbox %s)", "notifier", python, outboxFile()));
    return true;
  }

  private boolean notStarted(Consumer<String> progress, NotRunning why) {
    notRunning = why;
    progress.accept("notifier NOT started: " + why.reason() + "; everything else runs");
    return false;
  }

  private void supervise(String python, Path dir) {
    long backoff = 1000;
    while (!stopping) {
      Process p = process;
      try {
        int code = p.waitFor();
        if (stopping) {
          return;
        }
        log.warn("the notifier exited with {}; restarting in {} ms", code, backoff);
        Thread.sleep(backoff);
        backoff = Math.min(30_000, backoff * 2);
        if (!stopping) {
          spawn(python, dir);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        log.error("cannot restart the notifier: {}", e.getMessage());
        return;
      }
    }
  }

  private synchronized void spawn(String python, Path dir) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(python, "-m", "notifier"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("notifier.log").toFile()));
    var env = pb.environment();
    // the settings it shares with this process, under the same names: the broker, the topic and
    // group prefixes (its topics and group are named from them as ours are), the data directory
    // (its state and outbox file), the credentials and TLS settings of our own Kafka clients
    List<String> shared = List.of("kafka", "kafka.topic-prefix", "kafka.group-prefix");
    for (String key : shared) {
      env.put(Settings.envName(key), settings.string(key));
    }
    for (String key : KafkaClients.SECURITY_SETTINGS) {
      env.put(Settings.envName(key), settings.string(key));
    }
    env.put(Settings.envName("data.dir"), dataDir.toString());
    // static group membership: a restart does not rebalance
    env.put("BAEDAL_NOTIFIER_INSTANCE_ID", settings.string("kafka.group-prefix") + "-notifier-1");
    process = pb.start();
  }

  private String python() {
    String configured = settings.string("python");
    if (!configured.isEmpty()) {
      return configured;
    }
    return new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
  }

  /** Null if {@code python} can run the notifier, else what is missing and how to get it. */
  private static NotRunning checkPython(String python, Path dir) {
    String requirements = shortest(dir.resolve("requirements.txt"));
    String install =
        "apt-get install python3-confluent-kafka (Debian/Ubuntu), or: "
            + python
            + " -m pip install -r "
            + requirements;
    try {
      Process p =
          new ProcessBuilder(List.of(python, "-c", "import confluent_kafka, notifier"))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new NotRunning(python + " did not answer in 20 s", "check BAEDAL_PYTHON");
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() == 0) {
        return null;
      }
      if (output.contains("confluent_kafka")) {
        return new NotRunning(python + " cannot import confluent_kafka", install);
      }
      String[] lines = output.strip().split("\n");
      return new NotRunning(
          python + " cannot import the notifier: " + lines[lines.length - 1],
          "see `" + python + " -m notifier` in " + dir);
    } catch (IOException e) {
      return new NotRunning(
          "no Python at " + python,
          "apt-get install python3 python3-confluent-kafka, or set BAEDAL_PYTHON to a Python 3 with"
              + " confluent_kafka");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new NotRunning("interrupted while checking " + python, "start it again");
    }
  }

  /** {@code path} relative to the working directory when it lies below it, else absolute. */
  private static String shortest(Path path) {
    Path here = Path.of("").toAbsolutePath();
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
  }

  /** The configured directory, else python-notifier/ beside the working directory or the jar. */
  private Path findDirectory() {
    String configured = settings.string("notifier.dir");
    if (!configured.isEmpty()) {
      Path p = Path.of(configured).toAbsolutePath();
      return Files.isRegularFile(p.resolve("notifier/__main__.py")) ? p : null;
    }
    Path start = Path.of("").toAbsolutePath();
    try {
      Path jar =
          Path.of(
              NotifierProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path base : List.of(start, jar.toAbsolutePath().getParent())) {
        for (Path p = base; p != null; p = p.getParent()) {
          if (Files.isRegularFile(p.resolve("python-notifier/notifier/__main__.py"))) {
            return p.resolve("python-notifier");
          }
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
    return null;
  }

  @Override
  public void close() {
    stopping = true;
    Process p = process;
    if (p == null) {
      return;
    }
    p.toHandle().destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
