package dev.baedal.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Problems;
import dev.baedal.platform.http.Violation;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ViolationTest {
  @Test
  @DisplayName("a 400 lists every violation under errors and says them all in its detail")
  void invalidListsEveryViolation() {
    ProblemException p =
        ProblemException.invalid(
            Violation.pointer("/items/0/quantity", Violation.between(1, 99)),
            Violation.header("Idempotency-Key", Violation.REQUIRED),
            Violation.parameter("lat", Violation.A_NUMBER),
            Violation.pointer("", Violation.NOT_JSON));

    JsonObject json = p.toJson();
    assertThat(json.getInteger("status")).isEqualTo(400);
    assertThat(json.getJsonArray("errors"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("pointer", "/items/0/quantity")
                        .put("detail", "must be between 1 and 99"))
                .add(new JsonObject().put("header", "Idempotency-Key").put("detail", "is required"))
                .add(new JsonObject().put("parameter", "lat").put("detail", "must be a number"))
                .add(new JsonObject().put("pointer", "").put("detail", "is not valid JSON")));
    assertThat(p.detail())
        .isEqualTo(
            "items[0].quantity must be between 1 and 99; the Idempotency-Key header is required;"
                + " the parameter lat must be a number; the request body is not valid JSON");
  }

  @Test
  @DisplayName("the errors survive the event bus")
  void errorsCrossTheEventBus() {
    ProblemException sent =
        ProblemException.unprocessable(
            "Hanok Chicken does not sell bibimbap-dolsot",
            List.of(Violation.pointer("/items/1/menuId", "is not sold by this store")));
    ProblemException received =
        Problems.asProblem(
            new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 422, sent.toJson().encode()));

    assertThat(received.status()).isEqualTo(422);
    assertThat(received.detail()).isEqualTo("Hanok Chicken does not sell bibimbap-dolsot");
    assertThat(received.violations())
        .containsExactly(Violation.pointer("/items/1/menuId", "is not sold by this store"));
  }

  @Test
  @DisplayName("numbers read as people write them, pointers escape / and ~")
  void wording() {
    assertThat(Violation.between(-90.0, 90.0)).isEqualTo("must be between -90 and 90");
    assertThat(Violation.between(0.5, 1.5)).isEqualTo("must be between 0.5 and 1.5");
    assertThat(Violation.oneOf(List.of("NEW", "PAID"))).isEqualTo("must be one of: NEW, PAID");
    assertThat(Violation.child("/a", "b/c~d")).isEqualTo("/a/b~1c~0d");
    assertThat(Violation.pointer("/a/b~1c", Violation.REQUIRED).sentence())
        .isEqualTo("a.b/c is required");
  }
}
