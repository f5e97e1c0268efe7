package dev.baedal.platform.http;

import dev.baedal.platform.consistency.Failures;
import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.events.Refusal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RFC 9457 problem documents, and their passage over the event bus. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** A problem document; {@code type} names the status so clients can switch on it. */
  public static JsonObject json(int status, String title, String detail, String instance) {
    JsonObject json =
        new JsonObject()
            .put("type", "https://baedal.dev/problems/" + status)
            .put("title", title)
            .put("status", status)
            .put("detail", detail);
    if (instance != null) {
      json.put("instance", instance);
    }
    return json;
  }

  /**
   * Answers an event-bus request with the outcome of {@code result}: its value, or for a failure
   * the problem it carries ({@link ProblemException}) or, for anything unexpected, a logged 500.
   */
  public static <T> void reply(Message<?> message, Future<T> result) {
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            message.reply(ar.result());
          } else {
            fail(message, ar.cause());
          }
        });
  }

  /**
   * An event-bus consumer that answers each request with what {@code handler} returns, turning
   * failures (thrown or returned) into problems: a domain {@link Refusal} into the {@code 409} or
   * {@code 404} it stands for, anything unexpected into a logged {@code 500}.
   */
  public static <T> Handler<Message<T>> replier(Function<T, Future<?>> handler) {
    return message -> {
      Future<?> result;
      try {
        result = handler.apply(message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      reply(message, result);
    };
  }

  /** Fails an event-bus request with the problem {@code error} stands for. */
  public static void fail(Message<?> message, Throwable error) {
    ProblemException problem = asProblem(error);
    if (problem.status() == 500 && !(error instanceof ProblemException)) {
      log.error("{} failed", message.address(), error);
    } else if (problem.status() >= 500 && !(error instanceof ProblemException)) {
      log.warn("{} failed: {} (answered {})", message.address(), error, problem.status());
    }
    message.fail(problem.status(), problem.toJson().encode());
  }

  /** A domain refusal as its problem; one that may pass is one {@code CatchUp} waits on. */
  private static ProblemException refused(Refusal r) {
    return switch (r.kind()) {
      case CONFLICT ->
          r.mayPass()
              ? NotYetException.conflict(r.getMessage())
              : ProblemException.conflict(r.getMessage());
      case NOT_FOUND ->
          r.mayPass()
              ? NotYetException.notFound(r.getMessage())
              : ProblemException.notFound(r.getMessage());
    };
  }

  /** What a failure means to a client. */
  public static ProblemException asProblem(Throwable error) {
    if (error instanceof ProblemException p) {
      return p;
    }
    if (error instanceof Refusal r) {
      return refused(r);
    }
    if (error instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400) {
        try {
          return ProblemException.fromJson(new JsonObject(re.getMessage()));
        } catch (DecodeException | NullPointerException | ClassCastException e) {
          return new ProblemException(re.failureCode(), "Error", String.valueOf(re.getMessage()));
        }
      }
      return ProblemException.unavailable(
          "a service did not answer in time, please try again shortly", 1);
    }
    if (Failures.of(error) == Failures.Kind.TRANSIENT) {
      // PostgreSQL or Kafka away, restarting or overloaded: nothing is wrong with the request
      return ProblemException.unavailable(
          "the system is briefly unavailable, please try again shortly", 1);
    }
    return new ProblemException(500, "Internal Server Error", "an unexpected error occurred");
  }
}
