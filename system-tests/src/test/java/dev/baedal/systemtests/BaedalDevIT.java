package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    try (JarProcess dev = JarProcess.start("baedal dev", dir, env, "Baedal is ready at", "dev");
        Api api = new Api(base, management)) {
      assertThat(api.ops("/health/ready").status()).isEqualTo(200);
      assertThat(api.ops("/health/ready").json().getString("status")).isEqualTo("UP");
      // not on the public port: only /health/live is there
      assertThat(api.get("/health/ready", null).status()).isEqualTo(404);
      assertThat(api.get("/metrics", null).status()).isEqualTo(404);
      assertThat(api.get("/health/live", null).status()).isEqualTo(200);
      // the embedded PostgreSQL's password, the JWT and card keys: files only this user can read
      for (String secret : List.of("pg.password", "jwt.secret", "card.key")) {
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("data").resolve(secret))))
            .as(secret)
            .isEqualTo("rw-------");
      }
      String token = api.login("kim");
      Api.Response placed =
          api.placeOrder(token, UUID.randomUUID().toString(), Api.chickenOrder(Api.GOOD_CARD));
      assertThat(placed.status()).as(placed.body()).isEqualTo(201);
      orderId = placed.json().getString("orderId");
      assertThat(dev.stop()).contains("stopped");
    }

    try (JarProcess again = JarProcess.start("baedal dev", dir, env, "Baedal is ready at", "dev");
        Api api = new Api(base, management)) {
      Api.Response order = api.get("/api/orders/" + orderId, api.login("kim"));
      assertThat(order.status()).as("the order survived the restart").isEqualTo(200);
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
}
