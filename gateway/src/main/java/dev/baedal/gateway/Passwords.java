package dev.baedal.gateway;

import io.vertx.ext.auth.hashing.HashingStrategy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: argon2id (BouncyCastle) at OWASP's recommended cost, in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. Hashes of the first version (Vert.x's
 * PBKDF2, {@code $pbkdf2$...}, 10,000 iterations) are still verified, and {@link #outdated} tells
 * the caller to store a new hash after a successful login.
 *
 * <p>Blocking and CPU-bound (tens of milliseconds, 19 MiB each): run on a worker thread.
 */
final class Passwords {
  /** OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane. */
  static final int MEMORY_KIB = 19 * 1024;

  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern ARGON2ID =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random = new SecureRandom();
  private final HashingStrategy legacy = HashingStrategy.load();

  /**
   * A hash of a random password, checked when the username is unknown: an unknown user costs the
   * same work as a known one, so the time of the answer does not tell which usernames exist.
   */
  private final String dummy = hash(B64.encodeToString(salt()));

  /** A new argon2id hash of {@code password} with a random salt. */
  String hash(String password) {
    byte[] salt = salt();
    byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** True if {@code password} matches {@code stored} (argon2id, or a first-version PBKDF2). */
  boolean verify(String stored, String password) {
    Matcher m = ARGON2ID.matcher(stored);
    if (m.matches()) {
      byte[] salt = B64D.decode(m.group(4));
      byte[] expected = B64D.decode(m.group(5));
      byte[] actual =
          argon2(
              password,
              salt,
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              expected.length);
      return MessageDigest.isEqual(expected, actual);
    }
    if (stored.startsWith("$pbkdf2$")) {
      return legacy.verify(stored, password);
    }
    return false;
  }

  /** Runs the same work as checking a real argon2id hash; always false. */
  boolean verifyUnknown(String password) {
    verify(dummy, password);
    return false;
  }

  /** True if {@code stored} is not argon2id at the current cost: hash again after a login. */
  static boolean outdated(String stored) {
    Matcher m = ARGON2ID.matcher(stored);
    return !m.matches()
        || Integer.parseInt(m.group(1)) < MEMORY_KIB
        || Integer.parseInt(m.group(2)) < ITERATIONS
        || Integer.parseInt(m.group(3)) < PARALLELISM;
  }

  private byte[] salt() {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  private static byte[] argon2(String password, byte[] salt, int memoryKib, int t, int p) {
    return argon2(password, salt, memoryKib, t, p, HASH_BYTES);
  }

  private static byte[] argon2(
      String password, byte[] salt, int memoryKib, int t, int p, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(t)
            .withParallelism(p)
            .withSalt(salt)
            .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
