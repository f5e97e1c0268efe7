package dev.baedal.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The JDBC URL that Flyway's migrations use keeps what pg.url asks of the connection. */
class DatabaseUrlTest {
  private static String jdbc(String url) {
    return Database.jdbcUrl(url, Database.connectOptions(Settings.defaults().with("pg.url", url)));
  }

  @Test
  @DisplayName("sslmode and the other query parameters of pg.url reach the migrations' JDBC URL")
  void keepsQueryParameters() {
    assertThat(jdbc("postgresql://u:p@db.example:6432/baedal?sslmode=require"))
        .isEqualTo("jdbc:postgresql://db.example:6432/baedal?sslmode=require");
    assertThat(
            jdbc(
                "postgresql://u:p@db/baedal?sslmode=verify-full&sslrootcert=/etc/pg/ca.crt"
                    + "&application_name=baedal"))
        .isEqualTo(
            "jdbc:postgresql://db:5432/baedal?sslmode=verify-full&sslrootcert=/etc/pg/ca.crt"
                + "&application_name=baedal");
  }

  @Test
  @DisplayName("without parameters the URL is plain; credentials never go into it")
  void noParametersNoCredentials() {
    assertThat(jdbc("postgres://u:p@db/baedal")).isEqualTo("jdbc:postgresql://db:5432/baedal");
    assertThat(jdbc("postgresql://db/baedal?user=u&password=p&sslmode=require"))
        .isEqualTo("jdbc:postgresql://db:5432/baedal?sslmode=require");
    assertThat(jdbc("postgresql://db/baedal?password=p"))
        .isEqualTo("jdbc:postgresql://db:5432/baedal");
  }
}
