package dev.baedal.platform;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A card number sealed where it enters (the gateway) and opened only where it is used (the payment
 * context), so that the number itself never crosses the event bus, a log or a table: AES-256-GCM
 * under a key derived from {@code payment.card-key}, which only those two services are given.
 *
 * <p>A sealed card is {@code {"sealed", "last4", "fingerprint"}}: the ciphertext (fresh nonce each
 * time), the last four digits for receipts, and a keyed hash (HMAC-SHA256) that is equal for equal
 * numbers, so that a retried order can be told from another one without the number.
 */
public final class CardSeal {
  private static final String VERSION = "v1.";
  private static final byte[] AAD = "baedal card v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec aes;
  private final SecretKeySpec mac;
  private final SecureRandom random = new SecureRandom();

  private CardSeal(byte[] secret) {
    this.aes = new SecretKeySpec(hmac(secret, "baedal card seal"), "AES");
    this.mac = new SecretKeySpec(hmac(secret, "baedal card fingerprint"), "HmacSHA256");
  }

  /** The seal of {@code payment.card-key}; refuses to start without a key of 32 characters. */
  public static CardSeal of(Settings settings) {
    String key = settings.string("payment.card-key");
    if (key.length() < 32) {
      throw new Settings.ConfigException(
          "payment.card-key (BAEDAL_PAYMENT_CARD_KEY) must be at least 32 characters");
    }
    return new CardSeal(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Seals a card number (16 digits that pass the Luhn check: see {@link #luhn}). */
  public JsonObject seal(String number) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(AAD);
      byte[] sealed = cipher.doFinal(number.getBytes(StandardCharsets.US_ASCII));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return new JsonObject()
          .put("sealed", VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out))
          .put("last4", number.substring(number.length() - 4))
          .put("fingerprint", fingerprint(number));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The card number in a sealed card.
   *
   * @throws IllegalArgumentException if it was not sealed under this key, or was altered
   */
  public String open(JsonObject card) {
    String sealed = card == null ? null : card.getString("sealed");
    if (sealed == null || !sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed card");
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
      if (in.length <= NONCE_BYTES) {
        throw new IllegalArgumentException("not a sealed card");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(AAD);
      byte[] number = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(number, StandardCharsets.US_ASCII);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("a sealed card that this key did not seal, or altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The keyed hash of a card number (hex): equal numbers, equal fingerprints. */
  public String fingerprint(String number) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(mac);
      return HexFormat.of().formatHex(m.doFinal(number.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Whether {@code digits} (all digits) pass the Luhn check that card numbers carry. */
  public static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static byte[] hmac(byte[] secret, String label) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      return m.doFinal(label.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
