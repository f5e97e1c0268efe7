package dev.baedal.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.consistency.NotYetException;
import dev.baedal.platform.http.ProblemException;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OrderProblemsTest {

  @Test
  @DisplayName("a refusal of the order is a 409 problem with the refusal as its detail")
  void conflict() {
    Throwable p =
        OrderProblems.of(OrderConflict.of("an order that is COOKING can no longer be cancelled"));
    assertThat(p).isInstanceOf(ProblemException.class).isNotInstanceOf(NotYetException.class);
    assertThat(((ProblemException) p).status()).isEqualTo(409);
    assertThat(((ProblemException) p).toJson().getString("detail"))
        .isEqualTo("an order that is COOKING can no longer be cancelled");
  }

  @Test
  @DisplayName("a refusal that may be out of date is a 409 the caller may wait on")
  void underWay() {
    Throwable p = OrderProblems.of(OrderConflict.underWay("not yet"));
    assertThat(p).isInstanceOf(NotYetException.class);
    assertThat(((ProblemException) p).status()).isEqualTo(409);
  }

  @Test
  @DisplayName("an order not found is a 404 problem; anything else passes unchanged")
  void notFound() {
    UUID id = UUID.randomUUID();
    Throwable p = OrderProblems.of(new OrderNotFound(id));
    assertThat(((ProblemException) p).status()).isEqualTo(404);
    assertThat(((ProblemException) p).toJson().getString("detail"))
        .isEqualTo("there is no order " + id);
    IllegalStateException other = new IllegalStateException("x");
    assertThat(OrderProblems.of(other)).isSameAs(other);
  }
}
