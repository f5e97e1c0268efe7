package dev.baedal.gateway;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ContractTest {
  @Test
  @DisplayName("openapi.yaml is a valid OpenAPI document with an operation id per route")
  void contractLoads() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = join(OpenAPIContract.from(vertx, ApiRouter.CONTRACT));
      assertThat(contract.operations()).hasSize(17);
      assertThat(contract.operation("placeOrder")).isNotNull();
    } finally {
      join(vertx.close());
    }
  }
}
