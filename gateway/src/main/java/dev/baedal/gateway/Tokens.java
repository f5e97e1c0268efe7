package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * The gateway's JWTs: vertx-auth-jwt checks the signature and, when there is one, the expiry; this
 * also refuses a token without {@code exp}, which would otherwise be valid for ever (HTTP and
 * WebSocket alike, since both authenticate through it).
 */
final class Tokens implements JWTAuth {
  private final JWTAuth jwt;

  Tokens(JWTAuth jwt) {
    this.jwt = jwt;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    return jwt.authenticate(credentials)
        .compose(
            user ->
                user.get("exp") instanceof Number
                    ? Future.succeededFuture(user)
                    : Future.failedFuture(
                        new ProblemException(
                            401, "Unauthorized", "the token has no expiry (exp)")));
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    return jwt.generateToken(claims, options);
  }

  @Override
  public String generateToken(JsonObject claims) {
    throw new UnsupportedOperationException("every token needs an expiry: pass JWTOptions");
  }
}
