package dev.baedal.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baedal.platform.db.Database;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A password in a setting's value never appears in a message, also when the value is bad. */
class SettingsMaskingTest {
  private static final String PASSWORD = "hunter2-secret";

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "mysql://baedal:hunter2-secret@db:5432/baedal",
        "postgresq://baedal:hunter2-secret@db/baedal",
        "baedal:hunter2-secret@db:5432/baedal",
        "http://baedal:hunter2-secret@db/x?y=1"
      })
  @DisplayName("a bad pg.url is refused naming the setting, its password masked")
  void badUrlMasked(String url) {
    assertThatThrownBy(() -> Settings.defaults().with("pg.url", url))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessageContaining("pg.url")
        .hasMessageContaining(Settings.MASK)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  @DisplayName("a pg.url the PostgreSQL client cannot parse is refused without its password")
  void unparsableUrlMasked() {
    Settings s = Settings.defaults().with("pg.url", "postgresql://baedal:hunter2-secret@db:x/y");
    assertThatThrownBy(() -> Database.connectOptions(s))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessageContaining("pg.url")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  @DisplayName("shown() masks a URL's password and a password parameter, and leaves the rest")
  void shown() {
    assertThat(Settings.shown("pg.url", "postgresql://u:p@h:5432/d?sslmode=require"))
        .isEqualTo("postgresql://u:****@h:5432/d?sslmode=require");
    assertThat(Settings.shown("pg.url", "postgresql://h/d?user=u&password=p&sslmode=require"))
        .isEqualTo("postgresql://h/d?user=u&password=****&sslmode=require");
    assertThat(Settings.shown("pg.url", "postgresql://u@h/d")).isEqualTo("postgresql://u@h/d");
    assertThat(Settings.shown("pg.url", "postgresql://u:p/w@rd@h/d"))
        .isEqualTo("postgresql://u:****@h/d");
    assertThat(Settings.shown("kafka", "broker:9093")).isEqualTo("broker:9093");
  }
}
