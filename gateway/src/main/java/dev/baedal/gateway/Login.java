package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/auth/login}: refused with 429 while the username or the client's address has too
 * many recent failures (before the password is looked at), else 401 for wrong credentials (counted)
 * or the token. The token carries no personal data beyond the display name. The body's shape
 * (username and password strings, their lengths) is the contract's, checked before this runs.
 */
final class Login {
  private final JWTAuth jwt;
  private final Accounts accounts;
  private final LoginThrottle throttle;
  private final int ttlMinutes;

  Login(JWTAuth jwt, Accounts accounts, LoginThrottle throttle, int ttlMinutes) {
    this.jwt = jwt;
    this.accounts = accounts;
    this.throttle = throttle;
    this.ttlMinutes = ttlMinutes;
  }

  void handle(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String username = body.getString("username");
    String password = body.getString("password");
    String address = ctx.request().remoteAddress().hostAddress();
    ctx.response().putHeader("Cache-Control", "no-store");
    throttle
        .check(username, address)
        .compose(v -> accounts.login(username, password))
        .compose(account -> counted(account, username, address))
        .onSuccess(account -> ctx.json(answer(account)))
        .onFailure(ctx::fail);
  }

  /** The account, its failures reset; or, for wrong credentials, a failure counted and a 401. */
  private Future<Accounts.Account> counted(
      Accounts.Account account, String username, String address) {
    if (account != null) {
      return throttle.succeeded(username).map(account);
    }
    return throttle
        .failed(username, address)
        .compose(
            v ->
                Future.failedFuture(
                    new ProblemException(401, "Unauthorized", "wrong username or password")));
  }

  private JsonObject answer(Accounts.Account account) {
    String token =
        jwt.generateToken(
            new JsonObject()
                .put("sub", account.subject())
                .put("role", account.role())
                .put("name", account.name()),
            new JWTOptions().setExpiresInMinutes(ttlMinutes));
    return new JsonObject()
        .put("token", token)
        .put("role", account.role())
        .put("subject", account.subject())
        .put("name", account.name());
  }
}
