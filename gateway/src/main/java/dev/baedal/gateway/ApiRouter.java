package dev.baedal.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.Map;

/**
 * The {@code /api} router, built from {@code openapi.yaml}: every request is validated against the
 * contract (vertx-openapi) before its handlers run, so the shape of requests is declared once, in
 * the document that {@code GET /openapi.yaml} serves. Authentication comes first: a request without
 * a valid token is 401 whatever its body. The one exemption is the login route, {@code POST
 * /api/auth/login} exactly (the document's only operation with {@code security: []}), never a
 * pattern of paths. Before either, every string of the body is checked for control characters
 * ({@link InputGuard}). A request the document refuses gets a 400 whose {@code errors} list every
 * violation ({@link RequestViolations}).
 */
final class ApiRouter {
  static final String CONTRACT = "openapi.yaml";

  /** The one operation without a token: login, as method and full path. */
  static final HttpMethod LOGIN_METHOD = HttpMethod.POST;

  static final String LOGIN_PATH = "/api/auth/login";

  private ApiRouter() {}

  /**
   * Every body of this API is JSON; a client that says nothing about it, or what {@code curl -d}
   * says by default, is taken at its word that it sends JSON (and validated as such).
   */
  private static void jsonByDefault(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (ctx.body().length() > 0
        && (type == null
            || type.startsWith("application/x-www-form-urlencoded")
            || type.startsWith("text/plain"))) {
      ctx.request().headers().set("Content-Type", "application/json");
    }
    ctx.next();
  }

  /** A valid token, except on the login route. */
  private static void authenticate(RoutingContext ctx, JWTAuthHandler authenticated) {
    if (ctx.request().method() == LOGIN_METHOD && LOGIN_PATH.equals(ctx.request().path())) {
      ctx.next();
    } else {
      authenticated.handle(ctx);
    }
  }

  static Future<Router> build(
      Vertx vertx,
      JWTAuth jwt,
      Map<String, List<Handler<RoutingContext>>> operations,
      long bodyLimit) {
    JWTAuthHandler authenticated = JWTAuthHandler.create(jwt);
    return OpenAPIContract.from(vertx, CONTRACT)
        .map(
            contract -> {
              OpenAPIContract cached = ValidatorCache.around(contract);
              RouterBuilder builder =
                  RouterBuilder.create(vertx, cached, RequestExtractor.withBodyHandler());
              builder.rootHandler(BodyHandler.create(false).setBodyLimit(bodyLimit));
              builder.rootHandler(ApiRouter::jsonByDefault);
              builder.rootHandler(InputGuard::body);
              builder.rootHandler(ctx -> authenticate(ctx, authenticated));
              for (OpenAPIRoute route : builder.getRoutes()) {
                String id = route.getOperation().getOperationId();
                List<Handler<RoutingContext>> handlers = operations.get(id);
                if (handlers == null) {
                  throw new IllegalStateException("no handler for operation " + id);
                }
                if (id.equals("login")
                    && !(route.getOperation().getHttpMethod() == LOGIN_METHOD
                        && LOGIN_PATH.equals("/api" + route.getOperation().getOpenAPIPath()))) {
                  throw new IllegalStateException(
                      "login is exempt from tokens at "
                          + LOGIN_METHOD
                          + " "
                          + LOGIN_PATH
                          + " only");
                }
                route.setDoSecurity(false);
                // validated by RequestViolations: a refusal lists every violation, not the first
                route.setDoValidation(false);
                route.addHandler(new RequestViolations(vertx, cached, route.getOperation()));
                for (Handler<RoutingContext> h : handlers) {
                  route.addHandler(h);
                }
              }
              return builder.createRouter();
            });
  }
}
