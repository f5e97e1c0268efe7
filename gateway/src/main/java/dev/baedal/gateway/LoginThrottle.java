package dev.baedal.gateway;

import dev.baedal.platform.Settings;
import dev.baedal.platform.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Map;

/**
 * Failed logins, counted in PostgreSQL (so every gateway instance sees the same counts) per
 * username and per client address over a sliding window: past {@code login.max-failures-per-user}
 * for one username, or {@code login.max-failures-per-address} from one address, within {@code
 * login.window-minutes}, a login is answered 429 with {@code Retry-After} before its password is
 * looked at, so even the right password is refused until the oldest failure leaves the window.
 */
final class LoginThrottle {
  private static final String COUNT =
      """
      with recent as (
        select kind, at, row_number() over (partition by kind order by at desc) as n
        from gateway_svc.login_failures
        where ((kind = 'user' and key = $1) or (kind = 'address' and key = $2))
          and at > now() - $3::int * interval '1 second')
      select kind, count(*) as failures,
        ceil(extract(epoch from max(case when n = (case when kind = 'user' then $4::int else $5::int end)
          then at end) + $3::int * interval '1 second' - now()))::bigint as retry_after
      from recent group by kind
      """;
  private static final String FAILED =
      "insert into gateway_svc.login_failures (kind, key) values ('user', $1), ('address', $2)";
  private static final String SUCCEEDED =
      "delete from gateway_svc.login_failures where kind = 'user' and key = $1";
  private static final String EXPIRED =
      "delete from gateway_svc.login_failures where at < now() - $1::int * interval '1 second'";

  private final Vertx vertx;
  private final Pool pool;
  private final int perUser;
  private final int perAddress;
  private final int windowSeconds;
  private long timer = -1;

  LoginThrottle(Vertx vertx, Pool pool, Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.perUser = Math.max(1, settings.integer("login.max-failures-per-user"));
    this.perAddress = Math.max(1, settings.integer("login.max-failures-per-address"));
    this.windowSeconds = Math.max(1, settings.integer("login.window-minutes")) * 60;
  }

  /** Deletes failures older than the window once a minute. */
  void start() {
    timer =
        vertx.setPeriodic(
            60_000, id -> pool.preparedQuery(EXPIRED).execute(Tuple.of(windowSeconds)));
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Succeeds if {@code username} from {@code address} may try; else fails with the 429. */
  Future<Void> check(String username, String address) {
    return pool.preparedQuery(COUNT)
        .execute(Tuple.of(username, address, windowSeconds, perUser, perAddress))
        .compose(
            rows -> {
              long retryAfter = 0;
              for (Row r : rows) {
                boolean user = "user".equals(r.getString("kind"));
                if (r.getLong("failures") >= (user ? perUser : perAddress)) {
                  Long seconds = r.getLong("retry_after");
                  retryAfter = Math.max(retryAfter, seconds == null ? windowSeconds : seconds);
                }
              }
              if (retryAfter == 0) {
                return Future.succeededFuture();
              }
              return Future.failedFuture(
                  new ProblemException(
                      429,
                      "Too Many Requests",
                      "too many failed logins: try again in " + Math.max(1, retryAfter) + " s",
                      Map.of("Retry-After", String.valueOf(Math.max(1, retryAfter))),
                      new JsonObject()));
            });
  }

  /** Counts a failed login against the username and the address. */
  Future<Void> failed(String username, String address) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(username, address)).mapEmpty();
  }

  /** A successful login clears the username's failures (not the address's). */
  Future<Void> succeeded(String username) {
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(username)).mapEmpty();
  }
}
