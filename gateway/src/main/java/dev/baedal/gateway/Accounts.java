package dev.baedal.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.hashing.HashingStrategy;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The accounts of the demo users, seeded once, with PBKDF2-hashed passwords. */
final class Accounts {
  static final String SCHEMA = "gateway_svc";
  private static final String INSERT =
      "insert into gateway_svc.accounts (username, password_hash, role, subject, display_name, phone)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (username) do nothing";
  private static final String FIND =
      "select password_hash, role, subject, display_name, phone from gateway_svc.accounts"
          + " where username = $1";
  private static final String EXISTING = "select username from gateway_svc.accounts";

  /** Who logged in. */
  record Account(String username, String role, String subject, String name, String phone) {}

  private final Vertx vertx;
  private final Pool pool;
  private final HashingStrategy hashing = HashingStrategy.load();
  private final SecureRandom random = new SecureRandom();

  Accounts(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Adds the demo accounts that are missing; hashing runs on a worker thread. */
  Future<Void> seed() {
    return pool.query(EXISTING)
        .execute()
        .compose(
            rows -> {
              List<String> existing = new ArrayList<>();
              rows.forEach(r -> existing.add(r.getString(0)));
              JsonArray demo = demoAccounts();
              return vertx.executeBlocking(
                  () -> {
                    List<Tuple> inserts = new ArrayList<>();
                    for (int i = 0; i < demo.size(); i++) {
                      JsonObject a = demo.getJsonObject(i);
                      if (!existing.contains(a.getString("username"))) {
                        inserts.add(
                            Tuple.of(
                                a.getString("username"),
                                hash(a.getString("password")),
                                a.getString("role"),
                                a.getString("subject"),
                                a.getString("name"),
                                a.getString("phone")));
                      }
                    }
                    return inserts;
                  });
            })
        .compose(
            inserts ->
                inserts.isEmpty()
                    ? Future.succeededFuture()
                    : pool.preparedQuery(INSERT).executeBatch(inserts).mapEmpty());
  }

  /** The account if the password is right, else null. */
  Future<Account> login(String username, String password) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(username))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(null);
              }
              Row r = rows.iterator().next();
              String hash = r.getString("password_hash");
              return vertx.executeBlocking(
                  () ->
                      hashing.verify(hash, password)
                          ? new Account(
                              username,
                              r.getString("role"),
                              r.getString("subject"),
                              r.getString("display_name"),
                              r.getString("phone"))
                          : null);
            });
  }

  private String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return hashing.hash(
        "pbkdf2", null, Base64.getEncoder().withoutPadding().encodeToString(salt), password);
  }

  private static JsonArray demoAccounts() {
    try (InputStream in = Accounts.class.getResourceAsStream("/demo/accounts.json")) {
      return new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
