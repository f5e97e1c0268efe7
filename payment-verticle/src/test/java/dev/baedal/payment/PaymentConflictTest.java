package dev.baedal.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Problems;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaymentConflictTest {

  @Test
  @DisplayName("a voided payment is answered as the same 409 problem as before")
  void voided() {
    ProblemException p = Problems.asProblem(PaymentAnswers.voided());
    assertThat(p.status()).isEqualTo(409);
    assertThat(p.toJson().getString("title")).isEqualTo("Conflict");
    assertThat(p.toJson().getString("detail")).isEqualTo("the payment for this order was voided");
  }
}
