package dev.baedal.devinfra;

/**
 * The container images of containers mode, pinned: the Kafka release the project builds on (and
 * {@code deploy/kafka} runs), the PostgreSQL release of the embedded server. {@code
 * BAEDAL_TEST_KAFKA_IMAGE} and {@code BAEDAL_TEST_PG_IMAGE} (or the system properties {@code
 * baedal.test.kafka-image}, {@code baedal.test.pg-image}) override them; a {@code
 * confluentinc/cp-kafka} image is run as such.
 */
final class Images {
  static final String KAFKA = "apache/kafka:3.9.1";
  static final String POSTGRES = "postgres:14.22";

  private Images() {}

  static String kafka() {
    return pick("BAEDAL_TEST_KAFKA_IMAGE", "baedal.test.kafka-image", KAFKA);
  }

  static String postgres() {
    return pick("BAEDAL_TEST_PG_IMAGE", "baedal.test.pg-image", POSTGRES);
  }

  static String describe() {
    return "images "
        + kafka()
        + " and "
        + postgres()
        + " (BAEDAL_TEST_KAFKA_IMAGE and BAEDAL_TEST_PG_IMAGE override them)";
  }

  private static String pick(String env, String property, String pinned) {
    String value = System.getenv(env);
    return value == null || value.isBlank() ? System.getProperty(property, pinned) : value;
  }
}
