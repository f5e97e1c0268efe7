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

  @Test
  @DisplayName("Kafka security settings that do not fit together fail, naming the setting")
  void kafkaSecurityChecked(@TempDir Path dir) throws Exception {
    JsonObject sasl =
        new JsonObject()
            .put("kafka.security-protocol", "sasl_ssl")
            .put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    assertThatThrownBy(() -> Settings.of(sasl))
        .hasMessageContaining("kafka.sasl.username")
        .hasMessageContaining("BAEDAL_KAFKA_SASL_USERNAME");
    assertThatThrownBy(() -> Settings.defaults().with("kafka.sasl.mechanism", "SCRAM-SHA-1"))
        .hasMessageContaining("kafka.sasl.mechanism")
        .hasMessageContaining("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    assertThatThrownBy(() -> Settings.defaults().with("kafka.security-protocol", "TLS"))
        .hasMessageContaining("BAEDAL_KAFKA_SECURITY_PROTOCOL");
    assertThatThrownBy(() -> Settings.defaults().with("kafka.sasl.username", "store"))
        .as("credentials a plaintext protocol would silently ignore")
        .hasMessageContaining(
            "BAEDAL_KAFKA_SASL_USERNAME): is set but kafka.security-protocol is PLAINTEXT");
    JsonObject missingStore =
        new JsonObject()
            .put("kafka.security-protocol", "SSL")
            .put("kafka.ssl.truststore-location", dir.resolve("absent.pem").toString());
    assertThatThrownBy(() -> Settings.of(missingStore))
        .hasMessageContaining("kafka.ssl.truststore-location")
        .hasMessageContaining("cannot read");
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
    JsonObject pemWithPassword =
        missingStore
            .copy()
            .put("kafka.ssl.truststore-location", pem.toString())
            .put("kafka.ssl.truststore-password", "changeit");
    assertThatThrownBy(() -> Settings.of(pemWithPassword))
        .hasMessageContaining("kafka.ssl.truststore-password");
    Settings ok =
        Settings.of(sasl.copy().put("kafka.sasl.username", "s").put("kafka.sasl.password", "p"));
    assertThat(ok.string("kafka.security-protocol")).isEqualTo("SASL_SSL");
  }

  @Test
  @DisplayName("secrets are masked: in error messages and wherever settings are shown")
  void secretsMasked() {
    assertThat(Settings.isSecret("kafka.sasl.password")).isTrue();
    assertThat(Settings.isSecret("kafka.sasl.jaas-config")).isTrue();
    assertThat(Settings.isSecret("kafka.ssl.key-password")).isTrue();
    assertThat(Settings.isSecret("jwt.secret")).isTrue();
    assertThat(Settings.isSecret("kafka.sasl.username")).isFalse();
    assertThat(Settings.shown("kafka.sasl.password", "hunter2")).isEqualTo(Settings.MASK);
    assertThat(Settings.shown("kafka.sasl.password", "")).isEmpty();
    assertThat(Settings.shown("kafka.sasl.username", "store")).isEqualTo("store");
    System.setProperty("baedal.kafka.ssl.key-password", "hunter2");
    try {
      // a secret in a bad combination: the message names it but never shows it
      assertThatThrownBy(() -> join(Settings.load(vertx, null)))
          .rootCause()
          .hasMessageContaining("kafka.ssl.key-password")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    } finally {
      System.clearProperty("baedal.kafka.ssl.key-password");
    }
  }
}
