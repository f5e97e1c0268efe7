package dev.baedal.contract;

/**
 * An amount of money in Korean won. The won has no smaller unit in use, so an amount is a whole
 * number, and every sum and difference is exact: one that does not fit an {@code int} (over two
 * billion won) fails instead of wrapping. A difference may be negative (a change of items that
 * costs less); a price, a total or a charge never is.
 *
 * <p>The aggregates hold their amounts as {@code Won}; on the wire, in the event payloads and in
 * the databases an amount is a plain number of won ({@link #value()}).
 */
public record Won(int value) implements Comparable<Won> {
  public static final Won ZERO = new Won(0);

  public static Won of(int value) {
    return value == 0 ? ZERO : new Won(value);
  }

  public Won plus(Won other) {
    return of(Math.addExact(value, other.value));
  }

  public Won minus(Won other) {
    return of(Math.subtractExact(value, other.value));
  }

  public Won times(int quantity) {
    return of(Math.multiplyExact(value, quantity));
  }

  /** The smaller of the two. */
  public Won atMost(Won cap) {
    return value <= cap.value ? this : cap;
  }

  public boolean isPositive() {
    return value > 0;
  }

  @Override
  public int compareTo(Won other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value + " won";
  }
}
