package dev.baedal.platform.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one failure handler: every failure leaves as problem JSON, never as a stack trace or
 * an empty body. Unexpected errors are logged with the request that met them.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
  private final long bodyLimit;

  /**
   * @param bodyLimit the body limit in bytes, for the message of an over-long body
   */
  public ProblemHandler(long bodyLimit) {
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ProblemException problem = toProblem(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    problem.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
    var body = problem.toJson().put("instance", ctx.request().path());
    body.remove("headers");
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problems.CONTENT_TYPE)
        .end(body.encode());
  }

  private ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DecodeException || failure instanceof ClassCastException) {
      return ProblemException.invalid(Violation.pointer("", Violation.NOT_JSON));
    }
    if (failure == null || failure instanceof HttpException) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      if (failure instanceof HttpException he) {
        status = he.getStatusCode();
      }
      if (status == 413) {
        return ProblemException.invalid(
            Violation.pointer("", "must be at most " + (bodyLimit / 1024) + " KiB"));
      }
      String title = HttpResponseStatus.valueOf(status).reasonPhrase();
      String detail =
          failure != null && failure.getMessage() != null && status < 500
              ? failure.getMessage()
              : title;
      return new ProblemException(status, title, detail);
    }
    int status = ctx.statusCode();
    if (!(failure instanceof ProblemException) && status >= 400 && status < 500) {
      // e.g. request validation against the OpenAPI document: the client's mistake, say which
      return new ProblemException(
          status,
          HttpResponseStatus.valueOf(status).reasonPhrase(),
          failure.getMessage() == null ? "the request is not valid" : failure.getMessage());
    }
    ProblemException problem = Problems.asProblem(failure);
    if (problem.status() == 500) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    }
    return problem;
  }
}
