package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.launcher.Node;
import dev.baedal.launcher.Service;
import dev.baedal.payment.PaymentVerticle;
import dev.baedal.platform.Settings;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The card network's knobs ({@code payment.simulator}, which can make every payment fail) are
 * registered on the event bus only when {@code payment.simulator} is on: {@code baedal dev} turns
 * it on ({@code LocalSecretsTest} in the launcher checks that), nothing else does.
 */
class PaymentSimulatorTest {
  @Test
  @DisplayName("by default the payment context registers no payment.simulator address")
  void offByDefault() {
    assertThat(Settings.defaults().flag("payment.simulator")).isFalse();
    Settings settings =
        Settings.defaults()
            .with("kafka", TestInfra.kafka())
            .with("pg.url", TestInfra.freshDatabase())
            .with("kafka.group-prefix", "test-" + UUID.randomUUID())
            .with("management.port", 0)
            .with("payment.card-key", "card-key-" + UUID.randomUUID());
    Node node = join(Node.start(settings, List.of(Service.PAYMENT), line -> {}));
    try {
      assertThatThrownBy(
              () ->
                  join(
                      node.vertx()
                          .eventBus()
                          .request(
                              PaymentVerticle.SIMULATOR, new JsonObject().put("failureRate", 1))))
          .hasRootCauseInstanceOf(ReplyException.class)
          .rootCause()
          .satisfies(
              e ->
                  assertThat(((ReplyException) e).failureType())
                      .isEqualTo(ReplyFailure.NO_HANDLERS));
    } finally {
      join(node.stop());
    }
  }
}
