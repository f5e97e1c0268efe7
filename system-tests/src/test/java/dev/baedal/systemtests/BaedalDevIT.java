package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baedal dev} from the fat jar, as a user runs it: start, use, stop, start again. */
class BaedalDevIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @DisplayName(
      "baedal dev starts from the fat jar, is ready, takes a paid order, stops cleanly and keeps its data")
  void devFromTheFatJar(@TempDir Path dir) throws Exception {
    Map<String, String> env =
        Map.of(
            "BAEDAL_DATA_DIR", dir.resolve("data").toString(),
            "BAEDAL_HTTP_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_MANAGEMENT_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_DEV_PG_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_DEV_KAFKA_PORT", String.valueOf(JarProcess.freePort()));
    String base = "http://127.0.0.1:" + env.get("BAEDAL_HTTP_PORT");
    String management = "http://127.0.0.1:" + env.get("BAEDAL_MANAGEMENT_PORT");

    String orderId;
    try (JarProcess dev = JarProcess.start("baedal dev", dir, env, "Baedal is ready at", "dev")) {
      assertThat(get(management + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(new JsonObject(get(management + "/health/ready").body()).getString("status"))
          .isEqualTo("UP");
      // not on the public port: only /health/live is there
      assertThat(get(base + "/health/ready").statusCode()).isEqualTo(404);
      assertThat(get(base + "/metrics").statusCode()).isEqualTo(404);
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
      // the embedded PostgreSQL's password, the JWT and card keys: files only this user can read
      for (String secret : List.of("pg.password", "jwt.secret", "card.key")) {
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("data").resolve(secret))))
            .as(secret)
            .isEqualTo("rw-------");
      }
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

    try (JarProcess again = JarProcess.start("baedal dev", dir, env, "Baedal is ready at", "dev")) {
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

  @Test
  @DisplayName(
      "baedal dev with a Python that lacks confluent_kafka says in its ready banner that the"
          + " notifier is not running, and the commands that fix it")
  void bannerNamesTheMissingNotifier(@TempDir Path dir) throws Exception {
    // a real Python 3, started without its site-packages, so without confluent_kafka
    Path python = dir.resolve("python-without-kafka");
    Files.writeString(python, "#!/bin/sh\nexec python3 -S \"$@\"\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env =
        Map.of(
            "BAEDAL_PYTHON", python.toString(),
            "BAEDAL_DATA_DIR", dir.resolve("data").toString(),
            "BAEDAL_HTTP_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_DEV_PG_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_DEV_KAFKA_PORT", String.valueOf(JarProcess.freePort()));
    try (JarProcess dev = JarProcess.start("baedal dev", dir, env, "Baedal is ready at", "dev")) {
      await("the banner's lines about the notifier")
          .atMost(Duration.ofSeconds(10))
          .until(dev::output, out -> out.contains("    fix: "));
      List<String> lines = dev.output().lines().toList();
      int ready =
          lines.indexOf(
              lines.stream()
                  .filter(l -> l.startsWith("Baedal is ready at"))
                  .findFirst()
                  .orElseThrow());
      assertThat(lines.get(ready)).contains(", without the notifier (Ctrl-C to stop)");
      assertThat(lines.get(ready + 1))
          .isEqualTo("  ✗ notifier is not running: " + python + " cannot import confluent_kafka");
      assertThat(lines.get(ready + 2))
          .startsWith("    fix: apt-get install python3-confluent-kafka (Debian/Ubuntu), or: ")
          .contains(python + " -m pip install -r ")
          .endsWith("requirements.txt; then restart baedal dev");
      assertThat(dev.stop()).contains("stopped");
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
}
