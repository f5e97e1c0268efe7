package dev.baedal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
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
}
