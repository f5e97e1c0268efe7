package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP side of a live WebSocket: the upgrade request must carry a valid token ({@code ?token=}
 * or {@code Authorization: Bearer}), of the right role; refusals are plain problem responses before
 * any upgrade. An open socket is closed with code 4401 when its token expires.
 *
 * <p>One user may hold at most {@code live.max-sessions-per-target} sessions on one endpoint (one
 * order's {@code /ws/orders/{id}}, {@code /ws/store}, {@code /ws/rider}) and {@code
 * live.max-sessions-per-user} in all, on this gateway instance; more are refused with 429. Every
 * session is pinged every {@code live.ping-seconds}: a live client answers (so the server's read
 * timeout does not close it), a vanished one does not and is closed by that timeout.
 */
final class LiveHandshake {
  /** Close code of a session whose token expired (contract section 3). */
  static final short TOKEN_EXPIRED = 4401;

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final int perTarget;
  private final int perUser;
  private final long pingMs;
  private final Map<String, Integer> byUser = new HashMap<>();
  private final Map<String, Integer> byTarget = new HashMap<>();

  LiveHandshake(Vertx vertx, JWTAuth jwt, int perTarget, int perUser, long pingMs) {
    this.vertx = vertx;
    this.jwt = jwt;
    this.perTarget = perTarget;
    this.perUser = perUser;
    this.pingMs = pingMs;
  }

  /**
   * The caller of an upgrade request, if it may open a socket as {@code role} (null: any role);
   * otherwise the request is answered with a problem and the future fails.
   */
  Future<User> authenticate(RoutingContext ctx, String role) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      ctx.response().putHeader("Upgrade", "websocket");
      return refuse(
          ctx,
          new ProblemException(
              426, "Upgrade Required", "this is a WebSocket endpoint: connect with ws://"));
    }
    // the upgrade happens after asynchronous checks: keep the request unread until then
    ctx.request().pause();
    String token = ctx.queryParams().get("token");
    String header = ctx.request().getHeader("Authorization");
    if (token == null && header != null && header.startsWith("Bearer ")) {
      token = header.substring(7);
    }
    if (token == null) {
      return refuse(
          ctx, new ProblemException(401, "Unauthorized", "a token is required (?token=)"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(
            err -> refuse(ctx, new ProblemException(401, "Unauthorized", "the token is not valid")))
        .compose(
            user -> {
              if (role != null && !role.equals(user.principal().getString("role"))) {
                return refuse(
                    ctx,
                    new ProblemException(
                        403, "Forbidden", "this WebSocket is for the " + role + " role only"));
              }
              return Future.succeededFuture(user);
            });
  }

  /**
   * Upgrades; the socket closes with {@link #TOKEN_EXPIRED} when {@code user}'s token expires, and
   * {@code onClose} runs when it is closed, by either side.
   */
  Future<ServerWebSocket> upgrade(RoutingContext ctx, User user, Runnable onClose) {
    String subject = user.principal().getString("sub");
    String target = subject + " " + ctx.request().path();
    if (byTarget.getOrDefault(target, 0) >= perTarget
        || byUser.getOrDefault(subject, 0) >= perUser) {
      return refuse(
          ctx,
          new ProblemException(
              429,
              "Too Many Requests",
              "too many live sessions: at most "
                  + perTarget
                  + " on one endpoint and "
                  + perUser
                  + " in all per user; close one first",
              Map.of("Retry-After", "5"),
              new JsonObject()));
    }
    byTarget.merge(target, 1, Integer::sum);
    byUser.merge(subject, 1, Integer::sum);
    return ctx.request()
        .toWebSocket()
        .recover(
            err -> {
              release(subject, target);
              return refuse(
                  ctx,
                  new ProblemException(
                      400, "Bad Request", "the WebSocket handshake failed: " + err.getMessage()));
            })
        .onSuccess(
            ws -> {
              long timer = closeAtExpiry(ws, user);
              long ping =
                  vertx.setPeriodic(
                      pingMs,
                      id -> {
                        if (!ws.isClosed()) {
                          ws.writePing(Buffer.buffer());
                        }
                      });
              ws.exceptionHandler(err -> ws.close());
              ws.closeHandler(
                  v -> {
                    vertx.cancelTimer(timer);
                    vertx.cancelTimer(ping);
                    release(subject, target);
                    onClose.run();
                  });
            });
  }

  private void release(String subject, String target) {
    byTarget.computeIfPresent(target, (k, n) -> n > 1 ? n - 1 : null);
    byUser.computeIfPresent(subject, (k, n) -> n > 1 ? n - 1 : null);
  }

  private long closeAtExpiry(ServerWebSocket ws, User user) {
    Object exp = user.get("exp");
    if (!(exp instanceof Number seconds)) {
      return -1;
    }
    long ms = Math.max(1, seconds.longValue() * 1000 - System.currentTimeMillis());
    return vertx.setTimer(
        ms,
        id -> {
          if (!ws.isClosed()) {
            ws.close(TOKEN_EXPIRED, "token expired");
          }
        });
  }

  private static <T> Future<T> refuse(RoutingContext ctx, ProblemException problem) {
    if (!ctx.response().ended() && !ctx.failed()) {
      ctx.fail(problem);
    }
    return Future.failedFuture(problem);
  }
}
