package dev.baedal.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.Refusal;
import dev.baedal.platform.events.Refusal.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event-bus edge of a context: what a requester sees of each kind of failure. */
class ProblemsTest {
  /** A context's own refusal, as its domain code throws or returns it. */
  static final class Refused extends Refusal {
    private static final long serialVersionUID = 1L;

    Refused(Kind kind, String detail, boolean mayPass) {
      super(kind, detail, mayPass);
    }
  }

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("a domain refusal, thrown or returned, reaches the requester as its 409 or 404")
  void refusals() {
    Refused accepted = new Refused(Kind.CONFLICT, "already accepted", false);
    assertThat(answer(q -> Future.failedFuture(accepted)))
        .isEqualTo(new JsonObject().put("status", 409).put("detail", "already accepted"));
    assertThat(
            answer(
                q -> {
                  throw accepted;
                }))
        .isEqualTo(new JsonObject().put("status", 409).put("detail", "already accepted"));
    Refused missing = new Refused(Kind.NOT_FOUND, "no delivery 7", false);
    assertThat(answer(q -> Future.failedFuture(missing)))
        .isEqualTo(new JsonObject().put("status", 404).put("detail", "no delivery 7"));
  }

  @Test
  @DisplayName("only a refusal that may pass is one a command waits on (not yet)")
  void mayPass() {
    for (Kind kind : Kind.values()) {
      Refused settled = new Refused(kind, "no", false);
      Refused notYet = new Refused(kind, "not yet", true);
      assertThat(NotYetException.is(settled)).isFalse();
      assertThat(Problems.asProblem(settled)).isNotInstanceOf(NotYetException.class);
      assertThat(NotYetException.is(notYet)).isTrue();
      assertThat(Problems.asProblem(notYet))
          .isInstanceOf(NotYetException.class)
          .extracting(ProblemException::status)
          .isEqualTo(Problems.asProblem(settled).status());
      assertThat(Failures.of(notYet)).isEqualTo(Failures.Kind.NOT_YET);
      assertThat(Failures.of(settled)).isEqualTo(Failures.Kind.POISON);
    }
  }

  @Test
  @DisplayName("a problem passes as it is; anything else is a 500 that says nothing of the cause")
  void others() {
    assertThat(answer(q -> Future.failedFuture(ProblemException.notFound("no order 7"))))
        .isEqualTo(new JsonObject().put("status", 404).put("detail", "no order 7"));
    JsonObject crash = answer(q -> Future.failedFuture(new IllegalStateException("secret")));
    assertThat(crash.getInteger("status")).isEqualTo(500);
    assertThat(crash.getString("detail")).doesNotContain("secret");
  }

  @Test
  @DisplayName("a success is the reply")
  void success() {
    String address = "problems-test-ok";
    vertx
        .eventBus()
        .consumer(address, Problems.<String>replier(q -> Future.succeededFuture(q + "!")));
    assertThat(vertx.eventBus().<String>request(address, "hi").await().body()).isEqualTo("hi!");
  }

  /** The failure a requester gets from a consumer built on {@code handler}: status and detail. */
  private static JsonObject answer(Function<String, Future<?>> handler) {
    String address = "problems-test-" + System.nanoTime();
    vertx.eventBus().consumer(address, Problems.replier(handler));
    try {
      vertx.eventBus().request(address, "q").await();
      throw new AssertionError("the request succeeded");
    } catch (ReplyException e) {
      JsonObject problem = new JsonObject(e.getMessage());
      assertThat(problem.getInteger("status")).isEqualTo(e.failureCode());
      return new JsonObject()
          .put("status", problem.getInteger("status"))
          .put("detail", problem.getString("detail"));
    }
  }
}
