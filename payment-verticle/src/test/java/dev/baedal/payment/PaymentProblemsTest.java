package dev.baedal.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.http.ProblemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentProblemsTest {

  @Test
  @DisplayName("a voided payment is answered as the same 409 problem as before")
  void voided() {
    ProblemException p = (ProblemException) PaymentProblems.of(PaymentAnswers.voided());
    assertThat(p.status()).isEqualTo(409);
    assertThat(p.toJson().getString("title")).isEqualTo("Conflict");
    assertThat(p.toJson().getString("detail")).isEqualTo("the payment for this order was voided");
  }

  @Test
  @DisplayName("a conflict is a 409; other failures pass unchanged")
  void others() {
    assertThat(((ProblemException) PaymentProblems.of(new PaymentConflict("voided"))).status())
        .isEqualTo(409);
    IllegalStateException other = new IllegalStateException("x");
    assertThat(PaymentProblems.of(other)).isSameAs(other);
  }
}
