package dev.baedal.contract.events;

import dev.baedal.contract.EventType;
import dev.baedal.platform.events.CloudEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The {@code data} of an event of the published language, typed: a record for each {@link
 * EventType} (declared with it, see {@link EventType#payload}; the two receipts share one), built
 * by the producer and read by consumers with {@code of(event.data())}. Each record's {@link
 * #toJson()} is the wire format that docs/api.md ("The events' data") describes; reading is
 * tolerant of fields it does not know, and a required field that is missing or mistyped fails with
 * the field's name (a poison record).
 */
public sealed interface Payload
    permits OrderPlaced,
        OrderModificationRequested,
        OrderModified,
        OrderCancelRequested,
        OrderCancelled,
        OrderCompleted,
        PaymentAuthorized,
        PaymentAdjusted,
        PaymentRefunded,
        StoreOrderAccepted,
        StoreOrderRejected,
        StoreCookingStarted,
        StoreCookingFinished,
        StoreCancelConfirmed,
        StoreCancelRefused,
        StoreModificationConfirmed,
        StoreModificationRefused,
        StoreThanksSent,
        DeliveryOpened,
        DeliveryAssigned,
        DeliveryPickedUp,
        DeliveryDelivered,
        DeliveryWithdrawn,
        CatalogStoreUpdated,
        NotificationRequested,
        NotificationReceipt {

  /** The event type this is the data of. */
  EventType type();

  /** The data as it travels. */
  JsonObject toJson();

  /** The event from {@code source} about {@code subject} that carries this, as of {@code at}. */
  default CloudEvent event(String source, String subject, Instant at) {
    return CloudEvent.of(source, type().wire(), subject, at, toJson());
  }
}
