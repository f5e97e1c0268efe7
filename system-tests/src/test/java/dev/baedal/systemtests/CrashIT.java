package dev.baedal.systemtests;

import static dev.baedal.devinfra.TestInfra.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.TestInfra;
import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import dev.baedal.platform.db.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service in one process ({@code baedal run}), on an external PostgreSQL and broker, killed
 * with SIGKILL while cancel, reject and modify sagas are under way, then started again.
 */
class CrashIT {
  private static final int EACH = 10;
  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;

  @AfterEach
  void stopAll() {
    processes.forEach(JarProcess::close);
    if (vertx != null) {
      join(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "killed with SIGKILL in the middle of cancel, reject and modify sagas, then restarted:"
          + " every saga completes, exactly once")
  void sagasSurviveSigkill(@TempDir Path dir) throws Exception {
    String run = UUID.randomUUID().toString();
    String pgUrl = TestInfra.freshDatabase();
    int httpPort = JarProcess.freePort();
    int managementPort = JarProcess.freePort();
    Map<String, String> env =
        Map.of(
            "BAEDAL_PG_URL",
            pgUrl,
            "BAEDAL_KAFKA",
            TestInfra.kafka(),
            "BAEDAL_KAFKA_GROUP_PREFIX",
            "crash-" + run,
            "BAEDAL_JWT_SECRET",
            "crash-secret-" + run + run,
            "BAEDAL_PAYMENT_CARD_KEY",
            "crash-card-key-" + run + run,
            "BAEDAL_HTTP_PORT",
            String.valueOf(httpPort),
            "BAEDAL_MANAGEMENT_PORT",
            String.valueOf(managementPort));
    Api api = new Api("http://127.0.0.1:" + httpPort, "http://127.0.0.1:" + managementPort);
    vertx = Vertx.vertx();
    io.vertx.sqlclient.Pool pool = Database.pool(vertx, Settings.defaults().with("pg.url", pgUrl));
    Ledger ledger = new Ledger(pool);
    JarProcess first = start(dir, env, api);

    String kim = api.login("kim");
    String owner = api.login("store-1");
    List<String> toCancel = place(api, kim);
    List<String> toReject = place(api, kim);
    List<String> toModify = place(api, kim);
    for (String id : toModify) {
      api.untilOk(() -> api.post("/api/store/orders/" + id + "/accept", owner, null));
    }
    ledger.awaitStoreOrders(toCancel);
    ledger.awaitStoreOrders(toReject);
    for (String id : toModify) {
      api.awaitStatus(id, kim, "ACCEPTED");
    }

    // start all thirty sagas at once (the refunding ones last), and kill the process the moment
    // the last is acknowledged
    List<Supplier<Api.Response>> commands = new ArrayList<>();
    JsonObject threeChickens =
        new JsonObject()
            .put(
                "items",
                new JsonArray()
                    .add(new JsonObject().put("menuId", "chicken-fried").put("quantity", 3))
                    .add(new JsonObject().put("menuId", "cola").put("quantity", 1)));
    toModify.forEach(
        id ->
            commands.add(
                () -> api.send("PATCH", "/api/orders/" + id, kim, threeChickens.encode(), null)));
    for (int i = 0; i < EACH; i++) {
      String cancel = toCancel.get(i);
      String reject = toReject.get(i);
      commands.add(() -> api.post("/api/orders/" + cancel + "/cancel", kim, null));
      commands.add(
          () ->
              api.post(
                  "/api/store/orders/" + reject + "/reject",
                  owner,
                  new JsonObject().put("reason", "out of chicken")));
    }
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<Api.Response>> acks = new ArrayList<>();
    commands.forEach(c -> acks.add(clients.submit(c::get)));
    for (Future<Api.Response> ack : acks) {
      assertThat(ack.get().status()).as(ack.get().body()).isIn(200, 202);
    }
    first.kill();
    clients.shutdown();

    long refundedAtKill = ledger.count("select count(distinct order_id) from payment_svc.refunds");
    System.out.printf(
        "killed with %d of %d refunds done%n", refundedAtKill, toCancel.size() + toReject.size());
    assertThat(refundedAtKill)
        .as("the kill came before every saga had finished")
        .isLessThan(toCancel.size() + toReject.size());

    start(dir, env, api);
    for (String id : toCancel) {
      api.awaitStatus(id, kim, "CANCELLED");
    }
    for (String id : toReject) {
      api.awaitStatus(id, kim, "REJECTED");
    }
    for (String id : toModify) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.get("/api/orders/" + id, kim).json().getInteger("total") == 58500);
    }
    List<String> refunded = new ArrayList<>(toCancel);
    refunded.addAll(toReject);
    ledger.assertRefundedOnce(refunded);
    assertThat(
            ledger.count(
                "select count(*) from payment_svc.adjustments"
                    + " where status = 'CHARGED' and amount = 18000 and order_id::text = any($1)",
                (Object) toModify.toArray(String[]::new)))
        .as("one extra charge per change")
        .isEqualTo(EACH);
    // the money, order by order, as the card's issuer sees it: nothing kept for a cancelled or
    // rejected order, the new total for a changed one
    Money money = Money.tables(pool);
    Map<String, Long> net = money.netCharged(ids(toCancel, toReject, toModify));
    for (String id : refunded) {
      assertThat(net.get(id)).as("net charge of cancelled/rejected " + id).isZero();
    }
    Map<String, Money.Order> orders = money.orders(toModify);
    for (String id : toModify) {
      assertThat(net.get(id)).as("net charge of changed " + id).isEqualTo(58500L);
      assertThat(orders.get(id).finalTotal()).as("final total of " + id).isEqualTo(58500L);
    }
    ledger.assertNotified("cancelled", toCancel);
    ledger.assertNotified("order_rejected", toReject);
    String kafka = TestInfra.kafka();
    Ledger.assertOneEventEach(kafka, Topics.ORDER_EVENTS, "order.cancelled", toCancel);
    Ledger.assertOneEventEach(kafka, Topics.PAYMENT_EVENTS, "payment.refunded", refunded);
    Ledger.assertOneEventEach(kafka, Topics.ORDER_EVENTS, "order.modified", toModify);
    Ledger.assertOneEventEach(kafka, Topics.PAYMENT_EVENTS, "payment.adjusted", toModify);
  }

  private JarProcess start(Path dir, Map<String, String> env, Api api) throws Exception {
    JarProcess p =
        JarProcess.start(
            "baedal run (all)",
            dir,
            env,
            "running:",
            "run",
            "payment",
            "store",
            "order",
            "rider",
            "query",
            "notify",
            "gateway");
    processes.add(p);
    api.awaitReady();
    return p;
  }

  private static List<String> place(Api api, String customer) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      ids.add(api.placeAs(customer, Api.chickenOrder(Api.GOOD_CARD)));
    }
    return ids;
  }

  @SafeVarargs
  private static List<String> ids(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }
}
