package dev.baedal.devinfra;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code postgresql://user:password@host:port/database} URL taken apart for JDBC, which wants the
 * credentials beside the URL rather than in it.
 */
public record JdbcUrl(String jdbcUrl, String user, String password) {

  public static JdbcUrl of(String url) {
    URI uri = URI.create(url.startsWith("postgres://") ? "postgresql" + url.substring(8) : url);
    if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "expected postgresql://user[:password]@host[:port]/database, got " + redact(url));
    }
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      if (parts.length > 1) {
        password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      }
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/postgres" : uri.getPath();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path;
    return new JdbcUrl(jdbc, user, password);
  }

  /** The URL with its password replaced by stars, for messages and logs. */
  public static String redact(String url) {
    return url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@");
  }
}
