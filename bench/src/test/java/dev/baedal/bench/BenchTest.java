package dev.baedal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BenchTest {
  private static JsonObject run(long placed, long completed, long errors, double viewP99) {
    return new JsonObject()
        .put("placed", placed)
        .put("completed", completed)
        .put("errors", errors)
        .put("lagsMs", new JsonObject().put("view", new JsonObject().put("p99", viewP99)));
  }

  @Test
  @DisplayName(
      "--find-max passes a step where all of hundreds of orders completed (not by identity)")
  void hundredsCompleted() {
    // 300 boxed twice is two Long objects: a comparison by identity failed every real step
    assertThat(Bench.keptUp(run(300, 300, 0, 44.0))).isTrue();
    assertThat(Bench.keptUp(new JsonObject(run(1000, 1000, 0, 99.9).encode()))).isTrue();
  }

  @Test
  @DisplayName(
      "--find-max fails a step with an unfinished order, an error, a slow view or none placed")
  void failures() {
    assertThat(Bench.keptUp(run(300, 299, 0, 44.0))).isFalse();
    assertThat(Bench.keptUp(run(300, 300, 1, 44.0))).isFalse();
    assertThat(Bench.keptUp(run(300, 300, 0, 100.0))).isFalse();
    assertThat(Bench.keptUp(run(0, 0, 0, 0.0))).isFalse();
  }

  @Test
  @DisplayName(
      "--place-only reports what it measured: no lags of zero orders, no null per lifecycle")
  void placeOnlyReport() {
    BenchStats stats = new BenchStats();
    stats.placement(12_000_000, 201, null);
    stats.placement(15_000_000, 201, null);
    stats.lag("view", 8_000_000);
    String report = report(stats, false, 2);
    assertThat(report)
        .contains("2 orders placed: 2.00 orders/s")
        .contains("placed -> query view")
        .contains("CPU seconds per order placed:  baedal 0.25")
        .doesNotContain("null")
        .doesNotContain("(n=0)")
        .doesNotContain("/ws/orders")
        .doesNotContain("per lifecycle");
  }

  @Test
  @DisplayName("a lifecycle run reports its requests and CPU per lifecycle")
  void lifecycleReport() {
    BenchStats stats = new BenchStats();
    stats.placement(12_000_000, 201, null);
    stats.request(201, false, "place", null);
    stats.request(200, false, "store accept", null);
    stats.completed(300_000_000);
    String report = report(stats, true, 1);
    assertThat(report)
        .contains("1 lifecycles completed of 1 placed")
        .contains("HTTP requests per lifecycle: 2.0")
        .contains("CPU seconds per lifecycle:  baedal 0.5")
        .contains("whole lifecycle");
  }

  @Test
  @DisplayName(
      "errors are told by call and reason, ids folded, lost claims apart; reasons are bounded")
  void errorsByReason() {
    BenchStats stats = new BenchStats();
    stats.request(503, false, "place", "payment is busy, please try again shortly");
    stats.request(503, false, "place", "payment is busy, please try again shortly");
    stats.request(
        409, false, "store accept", "order 7d0f5a3e-6a43-4c49-9a57-7f4f1f3b9e10 is COOKING");
    stats.request(
        409, false, "store accept", "order 0b1c2d3e-6a43-4c49-9a57-7f4f1f3b9e11 is COOKING");
    stats.request(409, true, "rider claim", "taken");
    stats.request(0, false, "rider pickup", null);
    for (int i = 0; i < BenchStats.MAX_REASONS + 5; i++) {
      stats.request(500, false, "customer confirm", "boom " + i);
    }
    JsonObject r =
        stats.result(1.0, Map.of(), 1, Map.of(), new JsonObject().put("lifecycle", true));
    JsonObject reasons = r.getJsonObject("errorsByReason");
    assertThat(reasons.getLong("503 place: payment is busy, please try again shortly"))
        .isEqualTo(2);
    assertThat(reasons.getLong("409 store accept: order {id} is COOKING")).isEqualTo(2);
    assertThat(reasons.getLong("0 rider pickup: (no detail)")).isEqualTo(1);
    assertThat(reasons.fieldNames()).noneMatch(k -> k.contains("claim"));
    assertThat(reasons.size()).isEqualTo(BenchStats.MAX_REASONS + 1);
    assertThat(reasons.getLong("500 (further reasons not told apart)")).isPositive();
    assertThat(reasons.stream().mapToLong(e -> (Long) e.getValue()).sum())
        .isEqualTo(r.getLong("errors"));
    assertThat(BenchStats.report(r))
        .contains("     2  503 place: payment is busy, please try again shortly")
        .contains("\nlost claim races (409: another rider was first; not errors): 1\n");
  }

  @Test
  @DisplayName(
      "a claim's 409 is a lost race only when another rider was first; refused for reach, an"
          + " error")
  void lostRaces() {
    String id = "7d0f5a3e-6a43-4c49-9a57-7f4f1f3b9e10";
    assertThat(Clients.lostRace(409, "another rider claimed delivery " + id + " first")).isTrue();
    assertThat(Clients.lostRace(409, "delivery " + id + " is already PICKED_UP")).isTrue();
    assertThat(
            Clients.lostRace(
                409,
                "an express delivery needs a rider whose whole trip takes at most 15 minutes;"
                    + " yours takes 22"))
        .isFalse();
    assertThat(Clients.lostRace(409, null)).isFalse();
    assertThat(Clients.lostRace(404, "another rider claimed delivery " + id + " first")).isFalse();
  }

  @Test
  @DisplayName(
      "a placement's 503s are timed together and by reason: a payment that timed out is not a"
          + " fast refusal")
  void refusalsByReason() {
    BenchStats stats = new BenchStats();
    for (int i = 1; i <= 100; i++) {
      stats.placement(i * 100_000L, 503, "we are busy, please try again shortly");
    }
    stats.placement(2_100_000_000L, 503, "payment is busy, please try again shortly");
    JsonObject r =
        stats.result(1.0, Map.of(), 1, Map.of(), new JsonObject().put("lifecycle", true));
    JsonObject byReason = r.getJsonObject("refusedByReasonMs");
    assertThat(r.getJsonObject("refusedMs").getLong("n")).isEqualTo(101);
    JsonObject busy = byReason.getJsonObject("we are busy, please try again shortly");
    assertThat(busy.getLong("n")).isEqualTo(100);
    assertThat(busy.getDouble("max")).isLessThan(11.0);
    assertThat(byReason.getJsonObject("payment is busy, please try again shortly").getDouble("max"))
        .isGreaterThan(2000.0);
    assertThat(BenchStats.report(r))
        .contains("POST /api/orders answered 503")
        .containsPattern("of which +p50 .*\\(n=100\\)  we are busy, please try again shortly\n")
        .containsPattern("of which +p50 .*\\(n=1\\)  payment is busy, please try again shortly\n");
  }

  @Test
  @DisplayName("a request that got no answer is told by the client's failure")
  void noAnswer() {
    assertThat(Clients.why(Future.failedFuture(new ConnectException("Connection refused"))))
        .isEqualTo("java.net.ConnectException: Connection refused");
  }

  /** The report of a one-second run in which the JVM used half a CPU-second. */
  private static String report(BenchStats stats, boolean lifecycle, long counted) {
    return BenchStats.report(
        stats.result(
            1.0,
            Map.of("baedal", 0.5),
            counted,
            Map.of("baedal", 500.0),
            new JsonObject().put("lifecycle", lifecycle)));
  }
}
