package dev.baedal.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentProblemsTest {

  @Test
  @DisplayName("a voided payment is answered as the same 409 problem as before")
  void voided() {
    Future<?> answer =
        PaymentProblems.<String>mapping(q -> Future.failedFuture(PaymentAnswers.voided()))
            .apply("q");
    ProblemException p = (ProblemException) answer.cause();
    assertThat(p.status()).isEqualTo(409);
    assertThat(p.toJson().getString("title")).isEqualTo("Conflict");
    assertThat(p.toJson().getString("detail")).isEqualTo("the payment for this order was voided");
  }

  @Test
  @DisplayName("a thrown conflict is mapped too; other failures pass unchanged")
  void thrown() {
    Future<?> answer =
        PaymentProblems.<String>mapping(
                q -> {
                  throw new PaymentConflict("this change was voided");
                })
            .apply("q");
    assertThat(((ProblemException) answer.cause()).status()).isEqualTo(409);
    IllegalStateException other = new IllegalStateException("x");
    assertThat(PaymentProblems.of(other)).isSameAs(other);
  }
}
