package dev.baedal.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudEventTest {

  @Test
  @DisplayName("an event survives encoding and parsing, with the CloudEvents 1.0 fields")
  void roundTrip() {
    CloudEvent e = CloudEvent.of("/order", "order.placed", "o-1", new JsonObject().put("total", 1));
    JsonObject json = new JsonObject(e.encode());

    assertThat(json.getString("specversion")).isEqualTo("1.0");
    assertThat(json.getString("datacontenttype")).isEqualTo("application/json");
    assertThat(CloudEvent.parse(e.encode())).isEqualTo(e);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\"}",
        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"subject\":\"s\",\"time\":\"yesterday\"}",
        "{\"specversion\":\"1.0\",\"id\":1,\"source\":\"/x\",\"type\":\"t\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\"}",
        "{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"t\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\"}"
      })
  @DisplayName("anything that is not a valid envelope is refused with a reason")
  void refusesBadEnvelopes(String json) {
    assertThatThrownBy(() -> CloudEvent.parse(json)).isInstanceOf(IllegalArgumentException.class);
  }
}
