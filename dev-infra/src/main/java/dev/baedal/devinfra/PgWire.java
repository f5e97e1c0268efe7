package dev.baedal.devinfra;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of PostgreSQL's wire protocol (v3) for {@link TcpProxy} to see a COMMIT go to the
 * server and its answer come back: messages are a type byte and a big-endian length, strings are
 * NUL-terminated UTF-8.
 */
final class PgWire {
  private PgWire() {}

  /**
   * Reads the PostgreSQL frontend stream of one connection just enough to see a COMMIT: the untyped
   * start-up messages first (an SSL or GSS request, then the startup packet), then typed messages:
   * Query ('Q') with COMMIT, or Parse ('P') of COMMIT, Bind ('B') of that statement and Execute
   * ('E') of that portal.
   */
  static final class CommitSniffer {
    private byte[] pending = new byte[0];
    private boolean started;
    private final Set<String> commitStatements = ConcurrentHashMap.newKeySet();
    private final Set<String> commitPortals = ConcurrentHashMap.newKeySet();

    /** Takes the next bytes; returns "simple" or "extended" if they hold a COMMIT, else null. */
    String feed(byte[] buf, int n) {
      byte[] all = concat(pending, buf, n);
      String commit = null;
      int at = 0;
      while (true) {
        if (!started) {
          if (all.length - at < 8) {
            break;
          }
          int len = int32(all, at);
          if (all.length - at < len) {
            break;
          }
          int code = int32(all, at + 4);
          // SSLRequest and GSSENCRequest precede the startup packet; the startup packet ends them
          started = code != 80877103 && code != 80877104;
          at += len;
          continue;
        }
        if (all.length - at < 5) {
          break;
        }
        char type = (char) all[at];
        int len = int32(all, at + 1);
        if (all.length - at < 1 + len) {
          break;
        }
        String kind = message(type, all, at + 5, at + 1 + len);
        if (kind != null) {
          commit = kind;
        }
        at += 1 + len;
      }
      pending = Arrays.copyOfRange(all, at, all.length);
      return commit;
    }

    private String message(char type, byte[] b, int from, int to) {
      switch (type) {
        case 'Q':
          return isCommit(cstring(b, from, to)) ? "simple" : null;
        case 'P':
          {
            String name = cstring(b, from, to);
            String query = cstring(b, from + utf8Length(name) + 1, to);
            if (isCommit(query)) {
              commitStatements.add(name);
            } else {
              commitStatements.remove(name);
            }
            return null;
          }
        case 'B':
          {
            String portal = cstring(b, from, to);
            String statement = cstring(b, from + utf8Length(portal) + 1, to);
            if (commitStatements.contains(statement)) {
              commitPortals.add(portal);
            } else {
              commitPortals.remove(portal);
            }
            return null;
          }
        case 'E':
          return commitPortals.contains(cstring(b, from, to)) ? "extended" : null;
        default:
          return null;
      }
    }

    static boolean isCommit(String sql) {
      String s = sql.trim().toLowerCase(Locale.ROOT);
      while (s.endsWith(";")) {
        s = s.substring(0, s.length() - 1).trim();
      }
      return s.equals("commit")
          || s.equals("end")
          || s.equals("commit work")
          || s.equals("commit transaction");
    }
  }

  /** Reads the backend's answer until a CommandComplete ('C'); returns its tag, e.g. COMMIT. */
  static final class Answer {
    private byte[] pending = new byte[0];

    String feed(byte[] buf, int n) {
      byte[] all = concat(pending, buf, n);
      int at = 0;
      while (all.length - at >= 5) {
        int len = int32(all, at + 1);
        if (all.length - at < 1 + len) {
          break;
        }
        if (all[at] == 'C') {
          return cstring(all, at + 5, at + 1 + len);
        }
        if (all[at] == 'E') {
          return "an error";
        }
        at += 1 + len;
      }
      pending = Arrays.copyOfRange(all, at, all.length);
      return null;
    }
  }

  /** What was left of the last read, then the first {@code n} bytes of this one. */
  private static byte[] concat(byte[] pending, byte[] buf, int n) {
    byte[] all = Arrays.copyOf(pending, pending.length + n);
    System.arraycopy(buf, 0, all, pending.length, n);
    return all;
  }

  private static int int32(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static String cstring(byte[] b, int from, int to) {
    int end = from;
    while (end < to && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.UTF_8);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
