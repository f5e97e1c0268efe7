package dev.baedal.gateway;

import dev.baedal.contract.Districts;
import dev.baedal.contract.Reach;
import dev.baedal.platform.Addresses;
import dev.baedal.platform.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** What anyone logged in may browse: the districts, the delivery options, the stores, a menu. */
final class CatalogRoutes {
  private final Forwarder forward;
  private final JsonArray districts = Districts.toJson();
  private final JsonObject deliveryOptions;

  CatalogRoutes(Forwarder forward, Settings settings) {
    this.forward = forward;
    this.deliveryOptions = deliveryOptions(settings);
  }

  void districts(RoutingContext ctx) {
    ctx.json(districts);
  }

  void deliveryOptions(RoutingContext ctx) {
    ctx.json(deliveryOptions);
  }

  void stores(RoutingContext ctx) {
    forward.json(ctx, Addresses.CATALOG_STORES, new JsonObject(), 200);
  }

  void menu(RoutingContext ctx) {
    forward.json(
        ctx,
        Addresses.CATALOG_MENU,
        new JsonObject().put("storeId", ctx.pathParam("storeId")),
        200);
  }

  /** The fees and the express promise, from the settings the contexts use. */
  private static JsonObject deliveryOptions(Settings settings) {
    Reach reach = Reach.of(settings);
    return new JsonObject()
        .put("deliveryFee", settings.integer("fee.delivery"))
        .put("expressFee", settings.integer("fee.express"))
        .put("expressEtaMinutes", reach.expressEtaMinutes())
        .put("riderSpeedKmh", reach.speedKmh())
        .put("riderRadiusKm", reach.radiusKm());
  }
}
