package dev.baedal.gateway;

import dev.baedal.platform.http.ProblemException;
import dev.baedal.platform.http.Violation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates each request against its operation in {@code openapi.yaml} (vertx-openapi), and turns a
 * refusal into a 400 that says what is wrong (contract section 2). vertx-openapi stops at the first
 * failure and says it in its own words; this then checks the whole request against the same
 * operation and lists every violation, each with its JSON Pointer, header or parameter and a detail
 * from {@link Violation}'s vocabulary.
 *
 * <p>It is the first handler of each operation's route rather than a failure handler: failure
 * handlers of a sub-router's routes never see the failures (they go to the parent router's).
 */
final class RequestViolations implements Handler<RoutingContext> {
  private final Operation operation;
  private final SchemaRepository schemas;
  private final RequestValidator validator;

  RequestViolations(Vertx vertx, OpenAPIContract contract, Operation operation) {
    this.operation = operation;
    this.schemas = contract.getSchemaRepository();
    this.validator = RequestValidator.create(vertx, contract);
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestExtractor.withBodyHandler()
        .extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> ctx.next())
        .onFailure(
            failure -> {
              if (!(failure instanceof ValidatorException)) {
                ctx.fail(failure);
                return;
              }
              List<Violation> found;
              try {
                found = check(ctx);
              } catch (RuntimeException e) {
                // never a hanging request or a 500 for bad input: the library's words, then
                found = List.of();
              }
              if (found.isEmpty()) {
                // the library saw something this check does not: keep its words
                found = List.of(Violation.pointer("", String.valueOf(failure.getMessage())));
              }
              ctx.fail(ProblemException.invalid(found));
            });
  }

  /** Every violation of the request against the operation: parameters first, then the body. */
  List<Violation> check(RoutingContext ctx) {
    Set<Violation> out = new LinkedHashSet<>();
    for (Parameter p : operation.getParameters()) {
      String raw =
          switch (p.getIn()) {
            case HEADER -> ctx.request().getHeader(p.getName());
            case QUERY -> ctx.queryParams().get(p.getName());
            case PATH -> ctx.pathParam(p.getName());
            case COOKIE -> null;
          };
      parameter(p, raw, out);
    }
    if (operation.getRequestBody() != null) {
      body(ctx.body().buffer(), out);
    }
    return new ArrayList<>(out);
  }

  private void parameter(Parameter p, String raw, Set<Violation> out) {
    Violation.Part part =
        p.getIn() == Location.HEADER ? Violation.Part.HEADER : Violation.Part.PARAMETER;
    if (raw == null || raw.isEmpty()) {
      if (p.isRequired()) {
        out.add(new Violation(part, p.getName(), Violation.REQUIRED));
      }
      return;
    }
    JsonObject schema = SchemaViolations.json(p.getSchema());
    Object value;
    switch (String.valueOf(schema.getValue("type"))) {
      case "number" -> {
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          out.add(new Violation(part, p.getName(), Violation.A_NUMBER));
          return;
        }
      }
      case "integer" -> {
        try {
          value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
          out.add(new Violation(part, p.getName(), Violation.AN_INTEGER));
          return;
        }
      }
      case "boolean" -> {
        if (!raw.equals("true") && !raw.equals("false")) {
          out.add(new Violation(part, p.getName(), Violation.A_BOOLEAN));
          return;
        }
        value = Boolean.parseBoolean(raw);
      }
      default -> value = raw;
    }
    for (SchemaViolations.Leaf leaf : SchemaViolations.of(schemas, p.getSchema(), value)) {
      out.add(new Violation(part, p.getName(), leaf.detail()));
    }
  }

  private void body(Buffer buffer, Set<Violation> out) {
    boolean required = operation.getRequestBody().isRequired();
    if (buffer == null || buffer.length() == 0) {
      if (required) {
        out.add(Violation.pointer("", Violation.REQUIRED));
      }
      return;
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      out.add(Violation.pointer("", Violation.NOT_JSON));
      return;
    }
    MediaType media = operation.getRequestBody().getContent().get("application/json");
    if (media == null) {
      return;
    }
    for (SchemaViolations.Leaf leaf : SchemaViolations.of(schemas, media.getSchema(), value)) {
      out.add(Violation.pointer(leaf.pointer(), leaf.detail()));
    }
  }
}
