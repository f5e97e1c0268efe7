package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadmeSettingsTest {
  @Test
  @DisplayName("the README's configuration table has a row for every setting, with its variable")
  void everySettingDocumented() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> missing =
        Settings.describe().keySet().stream()
            .filter(key -> !readme.contains("| `" + key + "` | `" + Settings.envName(key) + "` |"))
            .toList();
    assertThat(missing).as("settings without a row in README.md").isEmpty();
  }
}
