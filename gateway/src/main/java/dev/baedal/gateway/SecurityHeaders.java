package dev.baedal.gateway;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer of the gateway: a Content Security Policy that lets the web UI run only
 * its own script files (no inline script, no eval), load only its own styles and images and connect
 * only to its own origin (HTTP and WebSocket), never be framed; no MIME sniffing; no referrer to
 * other sites; HSTS when the public URL is https; and no caching of API answers (they carry tokens
 * and personal data).
 *
 * <p>Inline style attributes are allowed: the UI's pages set some (layout only). With images, fonts
 * and connections limited to the own origin, injected CSS cannot send anything elsewhere; moving
 * those styles into app.css would let {@code 'unsafe-inline'} go.
 */
final class SecurityHeaders {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  private final boolean https;

  /**
   * @param publicUrl the URL users reach the gateway at ({@code public.url}): HSTS if it is https
   */
  SecurityHeaders(String publicUrl) {
    this.https = publicUrl.startsWith("https://");
  }

  void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    if (https) {
      response.putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    String path = ctx.request().path();
    if (path.startsWith("/api/") || path.startsWith("/ws/")) {
      response.putHeader("Cache-Control", "no-store");
    }
    ctx.next();
  }
}
