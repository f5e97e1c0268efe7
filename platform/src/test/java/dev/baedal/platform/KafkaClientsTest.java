package dev.baedal.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.kafka.KafkaClients;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {

  @Test
  @DisplayName("without security settings a client gets bootstrap.servers and PLAINTEXT only")
  void plaintext() {
    Map<String, String> config = KafkaClients.base(Settings.defaults().with("kafka", "k:9092"));
    assertThat(config)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("bootstrap.servers", "k:9092", "security.protocol", "PLAINTEXT"));
  }

  @Test
  @DisplayName(
      "SASL_SSL with SCRAM: the JAAS login Kafka parses back to the same user and password, the"
          + " PEM trust store and hostname verification")
  void saslSsl(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
    String password = "pa\"ss\\word";
    Settings settings =
        Settings.of(
            new JsonObject()
                .put("kafka", "k:9093")
                .put("kafka.security-protocol", "SASL_SSL")
                .put("kafka.sasl.mechanism", "SCRAM-SHA-512")
                .put("kafka.sasl.username", "store")
                .put("kafka.sasl.password", password)
                .put("kafka.ssl.truststore-location", ca.toString()));
    Map<String, String> config = KafkaClients.base(settings);
    assertThat(config)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", ca.toString())
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.endpoint.identification.algorithm", "https")
        .doesNotContainKeys("ssl.truststore.password", "ssl.keystore.location");
    var login =
        JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(config.get("sasl.jaas.config"))))
            .configurationEntries()
            .get(0);
    assertThat(login.getLoginModuleName())
        .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    assertThat(Map.<String, Object>copyOf(login.getOptions()))
        .containsEntry("username", "store")
        .containsEntry("password", password);
  }

  @Test
  @DisplayName("a JAAS configuration given as a setting is used as it is; PLAIN gets its module")
  void jaasAndPlain() {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
    JsonObject sasl =
        new JsonObject()
            .put("kafka", "k:9093")
            .put("kafka.security-protocol", "SASL_PLAINTEXT")
            .put("kafka.sasl.mechanism", "PLAIN");
    assertThat(KafkaClients.base(Settings.of(sasl.copy().put("kafka.sasl.jaas-config", jaas))))
        .containsEntry("sasl.jaas.config", jaas)
        .doesNotContainKey("ssl.endpoint.identification.algorithm");
    assertThat(
            KafkaClients.base(
                    Settings.of(
                        sasl.copy()
                            .put("kafka.sasl.username", "u")
                            .put("kafka.sasl.password", "p")))
                .get("sasl.jaas.config"))
        .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
  }

  @Test
  @DisplayName("endpoint identification can be turned off explicitly (and only then)")
  void endpointIdentificationNone() {
    Settings settings =
        Settings.of(
            new JsonObject()
                .put("kafka", "k:9093")
                .put("kafka.security-protocol", "SSL")
                .put("kafka.ssl.endpoint-identification", "none"));
    assertThat(KafkaClients.base(settings))
        .containsEntry("ssl.endpoint.identification.algorithm", "");
  }
}
