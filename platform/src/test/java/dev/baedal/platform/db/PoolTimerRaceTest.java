package dev.baedal.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PoolTimerRaceTest {

  /** An exception with the stack the pool's stale wait timer leaves (vertx-sql-client 5.0.8). */
  private static IllegalStateException staleTimer() {
    IllegalStateException e = new IllegalStateException("Promise already completed");
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 110),
          new StackTraceElement(
              "io.vertx.sqlclient.impl.pool.SqlConnectionPool$1PoolRequest",
              "lambda$onEnqueue$1",
              "SqlConnectionPool.java",
              305),
          new StackTraceElement("io.vertx.core.Completable", "succeed", "Completable.java", 31)
        });
    return e;
  }

  @Test
  @DisplayName("the pool's stale wait timer is told apart from real failures")
  void recognised() {
    assertThat(PoolTimerRace.isStaleTimer(staleTimer())).isTrue();
    // the same message from anywhere else is a real failure
    assertThat(PoolTimerRace.isStaleTimer(new IllegalStateException("Promise already completed")))
        .isFalse();
    IllegalStateException other = staleTimer();
    other.setStackTrace(
        new StackTraceElement[] {new StackTraceElement("dev.baedal.X", "y", "X.java", 1)});
    assertThat(PoolTimerRace.isStaleTimer(other)).isFalse();
    RuntimeException notIllegalState = new RuntimeException("boom");
    notIllegalState.setStackTrace(staleTimer().getStackTrace());
    assertThat(PoolTimerRace.isStaleTimer(notIllegalState)).isFalse();
  }
}
