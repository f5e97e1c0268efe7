package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar baedal.jar ...} as a user runs it, in a process of its own whose output is
 * collected line by line; for the tests that start, stop and kill whole processes.
 */
final class JarProcess implements AutoCloseable {
  /** The launcher module's fat jar: this module's tests run after the reactor built it. */
  static final Path JAR = Path.of("..", "launcher", "target", "baedal.jar");

  private final String name;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private JarProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader = new Thread(this::read, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code baedal <args>} in {@code workDir} with {@code env} added, and returns once it
   * printed a line starting with {@code readyPrefix}; fails with its output if it does not within
   * two minutes.
   */
  static JarProcess start(
      String name, Path workDir, Map<String, String> env, String readyPrefix, String... args)
      throws IOException, InterruptedException {
    return launch(name, workDir, env, readyPrefix, javaCommand(args));
  }

  /**
   * Like {@link #start}, but through {@code bash}: {@code shellLines} run first (e.g. an {@code
   * export} line that a user pastes), then {@code exec java -jar baedal.jar <args>}.
   */
  static JarProcess startInShell(
      String name,
      Path workDir,
      Map<String, String> env,
      String readyPrefix,
      String shellLines,
      String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", shellLines + "\nexec \"$@\"", "baedal"));
    command.addAll(javaCommand(args));
    return launch(name, workDir, env, readyPrefix, command);
  }

  private static List<String> javaCommand(String... args) {
    assertThat(JAR).exists();
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar"));
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(List.of(args));
    return command;
  }

  private static JarProcess launch(
      String name, Path workDir, Map<String, String> env, String readyPrefix, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    long started = System.nanoTime();
    JarProcess p = new JarProcess(name, pb.start());
    String line = p.awaitLine(readyPrefix, TimeUnit.SECONDS.toNanos(120));
    System.out.printf(
        "%s ready after %.1f s: %s%n", name, (System.nanoTime() - started) / 1e9, line);
    return p;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.append(line).append('\n');
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("read failed: " + e);
    }
  }

  private String awaitLine(String prefix, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (!process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    process.destroyForcibly();
    throw new AssertionError(name + " did not print '" + prefix + "':\n" + output);
  }

  String output() {
    return output.toString();
  }

  /** The process id of the JVM, for signals ({@link dev.baedal.devinfra.Signals}). */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM (what Ctrl-C amounts to) and returns the whole output once it exited. */
  String stop() throws InterruptedException {
    // ProcessHandle.destroy sends SIGTERM like Process.destroy but leaves the output readable
    process.toHandle().destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " exits after SIGTERM").isTrue();
    reader.join(10_000);
    return output + "exit code " + process.exitValue();
  }

  /** SIGKILL: the process gets no chance to clean up. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(name + " dies on SIGKILL").isTrue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * A port free to listen on, below the kernel's ephemeral range (32768 and up on Linux). A port
   * from that range can be a client socket's own port too: a member reconnecting to one that has
   * gone away can then be connected to itself (TCP self-connect), which Hazelcast reports as
   * "Connecting to self!" every second while the member's shutdown waits on it.
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (BindException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32767");
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
