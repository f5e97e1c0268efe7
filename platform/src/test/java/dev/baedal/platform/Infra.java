package dev.baedal.platform;

import dev.baedal.devinfra.TestInfra;

/** Settings for a test class: the shared broker and a fresh database of its own. */
final class Infra {
  private Infra() {}

  static Settings settings() {
    return Settings.defaults()
        .with("kafka", TestInfra.kafka())
        .with("pg.url", TestInfra.freshDatabase())
        .with("outbox.poll-ms", 200)
        .with("consumer.retry-backoff-ms", 10);
  }
}
