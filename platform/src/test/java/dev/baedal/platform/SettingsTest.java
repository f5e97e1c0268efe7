package dev.baedal.platform;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    System.clearProperty("baedal.http.port");
    join(vertx.close());
  }

  @Test
  @DisplayName("defaults apply when nothing overrides them")
  void defaults() {
    Settings s = Settings.defaults();
    assertThat(s.integer("http.port")).isEqualTo(8080);
    assertThat(s.integer("fee.express")).isEqualTo(3000);
    assertThat(s.decimal("payment.failure-rate")).isZero();
  }

  @Test
  @DisplayName("a config file overrides defaults, and system properties override the file")
  void precedence(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("baedal.json");
    Files.writeString(
        file, new JsonObject().put("http.port", 9000).put("fee.delivery", 2500).encode());
    System.setProperty("baedal.http.port", "9100");

    Settings s = join(Settings.load(vertx, file));

    assertThat(s.integer("fee.delivery")).isEqualTo(2500);
    assertThat(s.integer("http.port")).isEqualTo(9100);
  }

  @Test
  @DisplayName("a bad value fails at load with a message naming the setting and its variable")
  void badValueNamed() {
    System.setProperty("baedal.http.port", "eighty");
    assertThatThrownBy(() -> join(Settings.load(vertx, null)))
        .isInstanceOf(CompletionException.class)
        .hasRootCauseInstanceOf(Settings.ConfigException.class)
        .rootCause()
        .hasMessageContaining("http.port")
        .hasMessageContaining("BAEDAL_HTTP_PORT")
        .hasMessageContaining("not an integer");
  }

  @Test
  @DisplayName("out-of-range values and unknown keys are refused")
  void rangesAndUnknownKeys(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Settings.defaults().with("payment.failure-rate", 1.5))
        .hasMessageContaining("payment.failure-rate");
    assertThatThrownBy(() -> Settings.defaults().with("http.port", 70000))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> Settings.defaults().with("pg.url", "mysql://x"))
        .hasMessageContaining("pg.url");
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"http.prot\": 1}");
    assertThatThrownBy(() -> join(Settings.load(vertx, file)))
        .rootCause()
        .hasMessageContaining("unknown setting 'http.prot'");
  }

  @Test
  @DisplayName("environment variable names follow the keys")
  void envNames() {
    assertThat(Settings.envName("pg.url")).isEqualTo("BAEDAL_PG_URL");
    assertThat(Settings.envName("breaker.reset-timeout-ms"))
        .isEqualTo("BAEDAL_BREAKER_RESET_TIMEOUT_MS");
    assertThat(Settings.envName("kafka")).isEqualTo("BAEDAL_KAFKA");
  }
}
