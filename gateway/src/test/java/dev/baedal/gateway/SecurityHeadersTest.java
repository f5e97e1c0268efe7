package dev.baedal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityHeadersTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"https://baedal.example.com,true", "http://127.0.0.1:8080,false"})
  @DisplayName("HSTS only when the public URL is https; CSP and nosniff always")
  void hsts(String publicUrl, boolean hsts) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.route().handler(new SecurityHeaders(publicUrl)::handle);
      router.route().handler(ctx -> ctx.end("ok"));
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(router)
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.actualPort() + "/api/x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("Strict-Transport-Security").isPresent()).isEqualTo(hsts);
      assertThat(r.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.CSP);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
