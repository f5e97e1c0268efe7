package dev.baedal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baedal dev} from the fat jar, as a user runs it: start, use, stop, start again. */
class BaedalDevIT {
  private static final Path JAR = Path.of("target", "baedal.jar");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @DisplayName(
      "baedal dev starts from the fat jar, is ready, takes a paid order, stops cleanly and keeps its data")
  void devFromTheFatJar(@TempDir Path dir) throws Exception {
    assertThat(JAR).exists();
    Map<String, String> env =
        Map.of(
            "BAEDAL_DATA_DIR", dir.resolve("data").toString(),
            "BAEDAL_HTTP_PORT", String.valueOf(freePort()),
            "BAEDAL_DEV_PG_PORT", String.valueOf(freePort()),
            "BAEDAL_DEV_KAFKA_PORT", String.valueOf(freePort()));
    String base = "http://127.0.0.1:" + env.get("BAEDAL_HTTP_PORT");

    String orderId;
    try (Dev dev = Dev.start(env, dir)) {
      assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(new JsonObject(get(base + "/health/ready").body()).getString("status"))
          .isEqualTo("UP");
      String token = login(base);
      HttpResponse<String> placed =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                  .header("Authorization", "Bearer " + token)
                  .header("Idempotency-Key", UUID.randomUUID().toString())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          TestSystem.chickenOrder(TestSystem.GOOD_CARD).encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
      orderId = new JsonObject(placed.body()).getString("orderId");
      assertThat(dev.stop()).contains("stopped");
    }

    try (Dev again = Dev.start(env, dir)) {
      HttpResponse<String> order =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/orders/" + orderId))
                  .header("Authorization", "Bearer " + login(base))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(order.statusCode()).as("the order survived the restart").isEqualTo(200);
      assertThat(again.stop()).contains("stopped");
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String login(String base) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"kim\",\"password\":\"kim-pass\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getString("token");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A running {@code java -jar baedal.jar dev} whose output is collected line by line. */
  private static final class Dev implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private Thread reader;

    private Dev(Process process) {
      this.process = process;
    }

    static Dev start(Map<String, String> env, Path workDir)
        throws IOException, InterruptedException {
      ProcessBuilder pb =
          new ProcessBuilder(List.of(javaBinary(), "-jar", JAR.toAbsolutePath().toString(), "dev"))
              .directory(workDir.toFile())
              .redirectErrorStream(true);
      pb.environment().putAll(env);
      long started = System.nanoTime();
      Dev dev = new Dev(pb.start());
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          dev.reader =
              new Thread(
                  () -> {
                    try (BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                dev.process.getInputStream(), StandardCharsets.UTF_8))) {
                      for (String line; (line = in.readLine()) != null; ) {
                        dev.output.append(line).append('\n');
                        lines.add(line);
                      }
                    } catch (IOException e) {
                      lines.add("read failed: " + e);
                    }
                  },
                  "dev-output");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith("Baedal is ready at")) {
          System.out.printf(
              "baedal dev ready after %.1f s: %s%n", (System.nanoTime() - started) / 1e9, line);
          return dev;
        }
        if (!dev.process.isAlive() && lines.isEmpty()) {
          break;
        }
      }
      dev.process.destroyForcibly();
      throw new AssertionError("baedal dev did not become ready:\n" + dev.output);
    }

    /** Sends SIGTERM (what Ctrl-C amounts to) and returns the whole output once it exited. */
    String stop() throws InterruptedException {
      // ProcessHandle.destroy sends SIGTERM like Process.destroy but leaves the output readable
      process.toHandle().destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS))
          .as("baedal dev exits after SIGTERM")
          .isTrue();
      reader.join(10_000);
      return output.toString() + "exit code " + process.exitValue();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    private static String javaBinary() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
