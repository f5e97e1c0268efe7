package dev.baedal.platform.http;

import dev.baedal.platform.consistency.Failures;
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
   * failures (thrown or returned) into problems.
   */
  public static <T> Handler<Message<T>> replier(Function<T, Future<?>> handler) {
    return replier(Function.identity(), handler);
  }

  /**
   * As {@link #replier(Function)}, with the context's domain failures (thrown or returned) first
   * turned into problems by {@code edge}: the domain refuses in its own words (an {@code
   * OrderConflict}, say), and only here, at the edge, does a refusal become a {@code 409}.
   *
   * @param edge a failure as the problem it stands for, or unchanged if it is not a domain failure
   */
  public static <T> Handler<Message<T>> replier(
      Function<Throwable, Throwable> edge, Function<T, Future<?>> handler) {
    return message -> {
      Future<?> result;
      try {
        result = handler.apply(message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      reply(message, mapped(edge, result));
    };
  }

  /**
   * {@code result} with its failure, if any, turned into a problem by {@code edge}. The edge of
   * {@link #replier(Function, Function)} does this for every request; a command does it earlier
   * where a refusal must be a problem before the edge, e.g. one that {@code CatchUp} waits on.
   */
  public static <T> Future<T> mapped(Function<Throwable, Throwable> edge, Future<T> result) {
    return result.recover(err -> Future.failedFuture(edge.apply(err)));
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

  /** What a failure means to a client. */
  public static ProblemException asProblem(Throwable error) {
    if (error instanceof ProblemException p) {
      return p;
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
