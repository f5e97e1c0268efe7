package dev.baedal.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts people log in with: the demo users, seeded once, with argon2id password hashes
 * ({@link Passwords}). A hash of an older kind is replaced at the next successful login.
 */
final class Accounts {
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  static final String SCHEMA = "gateway_svc";
  private static final String INSERT =
      "insert into gateway_svc.accounts (username, password_hash, role, subject, display_name, phone)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (username) do nothing";
  private static final String FIND =
      "select password_hash, role, subject, display_name from gateway_svc.accounts"
          + " where username = $1";
  private static final String REHASH =
      "update gateway_svc.accounts set password_hash = $2 where username = $1 and password_hash = $3";
  private static final String PHONE =
      "select phone from gateway_svc.accounts where role = 'customer' and subject = $1 limit 1";
  private static final String EXISTING = "select username from gateway_svc.accounts";

  /** Who logged in. */
  record Account(String username, String role, String subject, String name) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Passwords passwords;

  /**
   * Hashing takes 19 MiB and tens of milliseconds of one core: at most this many at once, so that a
   * burst of logins queues instead of taking the memory and every worker thread.
   */
  private final WorkerExecutor hashing;

  Accounts(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.hashing = vertx.createSharedWorkerExecutor("baedal-password-hashing", 4);
    this.passwords = new Passwords();
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
              return hashing.executeBlocking(
                  () -> {
                    List<Tuple> inserts = new ArrayList<>();
                    for (int i = 0; i < demo.size(); i++) {
                      JsonObject a = demo.getJsonObject(i);
                      if (!existing.contains(a.getString("username"))) {
                        inserts.add(
                            Tuple.of(
                                a.getString("username"),
                                passwords.hash(a.getString("password")),
                                a.getString("role"),
                                a.getString("subject"),
                                a.getString("name"),
                                a.getString("phone")));
                      }
                    }
                    return inserts;
                  },
                  false);
            })
        .compose(
            inserts ->
                inserts.isEmpty()
                    ? Future.succeededFuture()
                    : pool.preparedQuery(INSERT).executeBatch(inserts).mapEmpty());
  }

  /**
   * The account if the password is right, else null. An unknown username costs the same hashing as
   * a known one; a right password over an outdated hash stores a new one.
   */
  Future<Account> login(String username, String password) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(username))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return hashing.<Account>executeBlocking(
                    () -> {
                      passwords.verifyUnknown(password);
                      return null;
                    },
                    false);
              }
              Row r = rows.iterator().next();
              String stored = r.getString("password_hash");
              Account account =
                  new Account(
                      username,
                      r.getString("role"),
                      r.getString("subject"),
                      r.getString("display_name"));
              return hashing
                  .executeBlocking(
                      () -> {
                        if (!passwords.verify(stored, password)) {
                          return null;
                        }
                        return Passwords.outdated(stored) ? passwords.hash(password) : stored;
                      },
                      false)
                  .compose(
                      hash -> {
                        if (hash == null) {
                          return Future.succeededFuture(null);
                        }
                        if (hash.equals(stored)) {
                          return Future.succeededFuture(account);
                        }
                        return pool.preparedQuery(REHASH)
                            .execute(Tuple.of(username, hash, stored))
                            .onSuccess(
                                u -> log.info("the password hash of {} is now argon2id", username))
                            .map(account);
                      });
            });
  }

  /**
   * The phone number of a customer, looked up when they order (it is not in their token): null for
   * a subject without an account.
   */
  Future<String> customerPhone(String customerId) {
    return pool.preparedQuery(PHONE)
        .execute(Tuple.of(customerId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("phone"));
  }

  Future<Void> close() {
    return hashing.close();
  }

  private static JsonArray demoAccounts() {
    try (InputStream in = Accounts.class.getResourceAsStream("/demo/accounts.json")) {
      return new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
