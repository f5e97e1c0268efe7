package dev.baedal.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;

/**
 * The benchmark's {@link BaedalClient}, with its count: the requests made for a measured order (and
 * their failures by status) and the sockets opened for one go to {@link BenchStats}.
 */
final class Clients {
  final Vertx vertx;
  final BenchStats stats;
  private final BaedalClient api;

  /**
   * @param placements orders that may be being placed at once (a connection each)
   */
  Clients(Vertx vertx, URI url, int placements, BenchStats stats) {
    this.vertx = vertx;
    this.stats = stats;
    this.api = new BaedalClient(vertx, url, placements);
  }

  /** Logs in; the token. */
  Future<String> login(String user) {
    return api.login(user);
  }

  /** A customer's command on {@code order} ({@link BaedalClient#customer}). */
  Future<HttpResponse<Buffer>> customer(Lifecycle order, String token, String command) {
    return counted(
        order, false, "customer " + command, api.customer(token, order.orderId, command));
  }

  /** A store owner's step on {@code order} ({@link BaedalClient#store}). */
  Future<HttpResponse<Buffer>> store(Lifecycle order, String token, String step) {
    return counted(order, false, "store " + step, api.store(token, order.orderId, step, null));
  }

  /** A rider's step on {@code order} ({@link BaedalClient#rider}). */
  Future<HttpResponse<Buffer>> rider(Lifecycle order, String token, String step, JsonObject body) {
    return counted(
        order, step.equals("claim"), "rider " + step, api.rider(token, order.orderId, step, body));
  }

  /** {@code POST /api/orders}; the answer (a failed future when none came). */
  Future<HttpResponse<Buffer>> place(String token, String key, JsonObject o) {
    return api.place(token, key, o);
  }

  /** Opens a WebSocket on {@code uri} (counted for {@code order} when it is measured). */
  Future<WebSocket> socket(Lifecycle order, String uri) {
    return api.socket(uri)
        .onComplete(
            ar -> {
              if (order != null && order.measured) {
                stats.request(
                    ar.succeeded()
                        ? 101
                        : ar.cause() instanceof UpgradeRejectedException r ? r.getStatus() : 0,
                    false,
                    "socket " + uri.replaceAll("\\?.*", ""),
                    ar.succeeded() ? null : ar.cause().toString());
              }
            });
  }

  /** Counts the answer to a request made for {@code order} when it is measured. */
  private Future<HttpResponse<Buffer>> counted(
      Lifecycle order, boolean claim, String what, Future<HttpResponse<Buffer>> request) {
    return request.onComplete(
        ar -> {
          if (order != null && order.measured) {
            int status = ar.succeeded() ? ar.result().statusCode() : 0;
            String why = why(ar);
            stats.request(status, claim && lostRace(status, why), what, why);
          }
        });
  }

  /**
   * Whether a claim's answer says another rider was first (contract: "first rider wins, others
   * 409"), the one refusal riders racing for an offer expect; a claim refused for another reason
   * (an express trip too long, a store too far) is an error like any other 409.
   */
  static boolean lostRace(int status, String why) {
    return status == 409
        && why != null
        && (why.startsWith("another rider claimed") || why.contains(" is already "));
  }

  /**
   * Why a request failed: the problem's {@code detail}, or the client's failure if no answer came;
   * null if it did not fail (its body is not read then).
   */
  static String why(AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.failed()) {
      return ar.cause().toString();
    }
    if (ar.result().statusCode() < 400) {
      return null;
    }
    try {
      JsonObject problem = ar.result().bodyAsJsonObject();
      return problem == null ? null : problem.getString("detail");
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
