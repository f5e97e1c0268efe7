package dev.baedal.order;

import dev.baedal.contract.EventType;
import dev.baedal.contract.events.DeliveryAssigned;
import dev.baedal.contract.events.StoreCancelRefused;
import dev.baedal.contract.events.StoreOrderRejected;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What has happened to an order since it was placed: the facts other contexts reported, what came
 * with them, and a change of items awaiting the store.
 *
 * @param facts fact name (an {@code OrderStatus} or {@code CANCEL_REFUSED}) to RFC 3339 time
 * @param pendingModification a change of items the store has not decided on yet, or null
 */
record Progress(
    JsonObject facts,
    String riderId,
    String rejectReason,
    String cancelRefusedReason,
    Modification pendingModification,
    String modificationRefusedReason) {

  /** A just placed order's: nothing yet. */
  static Progress none() {
    return new Progress(new JsonObject(), null, null, null, null, null);
  }

  boolean has(String fact) {
    return facts.containsKey(fact);
  }

  /** Whether the change of items {@code modificationId} waits for the store's verdict. */
  boolean awaits(String modificationId) {
    return pendingModification != null
        && pendingModification.modificationId().equals(modificationId);
  }

  Progress withFact(String fact, Instant at) {
    return new Progress(
        facts.copy().put(fact, at.toString()),
        riderId,
        rejectReason,
        cancelRefusedReason,
        pendingModification,
        modificationRefusedReason);
  }

  /** What an event carries beside its fact: a rejection's or refused cancel's reason, the rider. */
  Progress withReport(EventType type, JsonObject data) {
    return switch (type) {
      case STORE_ORDER_REJECTED -> withRejectReason(StoreOrderRejected.of(data).reason());
      case STORE_CANCEL_REFUSED -> withCancelRefusedReason(StoreCancelRefused.of(data).reason());
      case DELIVERY_ASSIGNED -> withRider(DeliveryAssigned.of(data).riderId());
      default -> this; // the other facts carry nothing more
    };
  }

  Progress withRider(String rider) {
    return new Progress(
        facts,
        rider,
        rejectReason,
        cancelRefusedReason,
        pendingModification,
        modificationRefusedReason);
  }

  Progress withRejectReason(String reason) {
    return new Progress(
        facts,
        riderId,
        reason,
        cancelRefusedReason,
        pendingModification,
        modificationRefusedReason);
  }

  Progress withCancelRefusedReason(String reason) {
    return new Progress(
        facts, riderId, rejectReason, reason, pendingModification, modificationRefusedReason);
  }

  /** A change of items awaits the store's verdict; an earlier refusal no longer stands. */
  Progress withPendingModification(Modification modification) {
    return new Progress(facts, riderId, rejectReason, cancelRefusedReason, modification, null);
  }

  Progress withModificationRefused(String reason) {
    return new Progress(facts, riderId, rejectReason, cancelRefusedReason, null, reason);
  }

  /** The pending change was made: nothing awaits the store, nothing was refused. */
  Progress withModificationMade() {
    return new Progress(facts, riderId, rejectReason, cancelRefusedReason, null, null);
  }
}
