package dev.baedal.devinfra;

/**
 * A server that a test takes away and brings back on the same address with the same data: the
 * shared Kafka broker (in this JVM or in a container), a PostgreSQL server.
 */
public interface Restartable {
  /** A clean stop: the server finishes what it does, its data stays. */
  void stop();

  /** Starts it again on the same address and data; returns when it serves clients. */
  void start();

  /** {@link #stop()}, then {@link #start()}. */
  default void restart() {
    stop();
    start();
  }
}
