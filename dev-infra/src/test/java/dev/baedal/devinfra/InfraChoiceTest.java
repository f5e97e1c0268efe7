package dev.baedal.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.devinfra.InfraChoice.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InfraChoiceTest {
  /** A Docker check that answers as told and counts how often it was asked. */
  private static final class FakeDocker implements InfraChoice.Docker {
    final AtomicInteger asked = new AtomicInteger();
    final Optional<String> problem;

    FakeDocker(Optional<String> problem) {
      this.problem = problem;
    }

    @Override
    public Optional<String> problem() {
      asked.incrementAndGet();
      return problem;
    }
  }

  private static FakeDocker present() {
    return new FakeDocker(Optional.empty());
  }

  private static FakeDocker absent() {
    return new FakeDocker(Optional.of("Could not find a valid Docker environment"));
  }

  @Test
  @DisplayName("auto (also when unset or blank) with a Docker engine: containers, and says so")
  void autoWithDocker() {
    for (String setting : new String[] {"auto", null, "", "  ", "AUTO"}) {
      FakeDocker docker = present();
      InfraChoice c = InfraChoice.choose(setting, docker);
      assertThat(c.kind()).as(String.valueOf(setting)).isEqualTo(Kind.CONTAINERS);
      assertThat(c.why()).contains("auto", "Docker engine answered", "apache/kafka:", "postgres:");
      assertThat(docker.asked).hasValue(1);
    }
  }

  @Test
  @DisplayName(
      "auto without a Docker engine: embedded, and the reason names why Docker is unusable")
  void autoWithoutDocker() {
    FakeDocker docker = absent();
    InfraChoice c = InfraChoice.choose("auto", docker);
    assertThat(c.kind()).isEqualTo(Kind.EMBEDDED);
    assertThat(c.why())
        .contains("auto", "no usable Docker engine", "Could not find a valid Docker environment")
        .contains("embedded PostgreSQL");
  }

  @Test
  @DisplayName("containers with a Docker engine: containers")
  void containersWithDocker() {
    InfraChoice c = InfraChoice.choose("containers", present());
    assertThat(c.kind()).isEqualTo(Kind.CONTAINERS);
    assertThat(c.why()).startsWith("BAEDAL_TEST_INFRA=containers");
  }

  @Test
  @DisplayName("containers without a Docker engine fails at once, saying why and what to do")
  void containersWithoutDockerFails() {
    FakeDocker docker = absent();
    assertThatThrownBy(() -> InfraChoice.choose("Containers", docker))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BAEDAL_TEST_INFRA=containers")
        .hasMessageContaining("no usable Docker engine: Could not find a valid Docker environment")
        .hasMessageContaining("BAEDAL_TEST_INFRA=embedded");
    assertThat(docker.asked).hasValue(1);
  }

  @Test
  @DisplayName("embedded never asks Docker, present or not")
  void embeddedDoesNotAsk() {
    for (FakeDocker docker : new FakeDocker[] {present(), absent()}) {
      InfraChoice c = InfraChoice.choose("embedded", docker);
      assertThat(c.kind()).isEqualTo(Kind.EMBEDDED);
      assertThat(docker.asked).hasValue(0);
    }
  }

  @Test
  @DisplayName("any other value is refused with the values allowed")
  void otherValues() {
    FakeDocker docker = present();
    assertThatThrownBy(() -> InfraChoice.choose("docker", docker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'docker' is none of auto, containers, embedded");
    assertThat(docker.asked).hasValue(0);
  }

  @Test
  @DisplayName(
      "Testcontainers' own check answers in bounded time, and auto and containers follow it")
  void realDockerCheck() {
    long started = System.nanoTime();
    Optional<String> problem = InfraChoice.testcontainers().problem();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(35));
    System.out.println("Docker check here: " + problem.orElse("a Docker engine answered"));
    InfraChoice.Docker real = () -> problem;
    assertThat(InfraChoice.choose("auto", real).kind())
        .isEqualTo(problem.isEmpty() ? Kind.CONTAINERS : Kind.EMBEDDED);
    if (problem.isPresent()) {
      assertThatThrownBy(() -> InfraChoice.choose("containers", real))
          .hasMessageContaining(problem.get());
    } else {
      assertThat(InfraChoice.choose("containers", real).kind()).isEqualTo(Kind.CONTAINERS);
    }
  }

  @Test
  @DisplayName("the image settings override the pinned images")
  void images() {
    assertThat(Images.kafka())
        .isEqualTo(System.getenv().getOrDefault("BAEDAL_TEST_KAFKA_IMAGE", Images.KAFKA));
    String before = System.getProperty("baedal.test.pg-image");
    System.setProperty("baedal.test.pg-image", "postgres:16-alpine");
    try {
      assertThat(Images.describe()).contains("postgres:16-alpine");
    } finally {
      if (before == null) {
        System.clearProperty("baedal.test.pg-image");
      } else {
        System.setProperty("baedal.test.pg-image", before);
      }
    }
  }
}
