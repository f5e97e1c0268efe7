package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "settings",
    description = "List every setting, its environment variable and default.")
final class SettingsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.printf("%-34s %-42s %s%n", "setting", "environment variable", "default");
    for (Map.Entry<String, Object> e : Settings.describe().entrySet()) {
      System.out.printf(
          "%-34s %-42s %s%n",
          e.getKey(), Settings.envName(e.getKey()), Settings.shown(e.getKey(), e.getValue()));
    }
    return 0;
  }
}
