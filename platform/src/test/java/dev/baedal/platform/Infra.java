package dev.baedal.platform;

import dev.baedal.devinfra.TestInfra;
import java.util.UUID;

/**
 * Settings for a test class: the shared broker, a fresh database and consumer groups of its own.
 */
final class Infra {
  private Infra() {}

  static Settings settings() {
    return Settings.defaults()
        .with("kafka", TestInfra.kafka())
        .with("pg.url", TestInfra.freshDatabase())
        .with("kafka.group-prefix", "test-" + UUID.randomUUID())
        .with("outbox.poll-ms", 200)
        .with("consumer.retry-backoff-ms", 10);
  }
}
