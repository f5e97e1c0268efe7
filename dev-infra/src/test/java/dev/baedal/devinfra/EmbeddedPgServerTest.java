package dev.baedal.devinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EmbeddedPgServerTest {
  @Test
  @DisplayName(
      "the embedded PostgreSQL is a process tree: pause stops every process of it, resume lets them"
          + " run, kill leaves none, start recovers every committed row on the same port")
  void pauseKillStart() throws Exception {
    try (EmbeddedPgServer pg = EmbeddedPgServer.start(true)) {
      long postmaster = pg.pid();
      List<Long> tree = Signals.tree(postmaster);
      assertThat(tree).as("postmaster and its children").hasSizeGreaterThan(3);

      pg.pause();
      try {
        assertThat(tree).allMatch(pid -> Signals.state(pid) == 'T' || Signals.state(pid) == 'X');
        assertThat(Signals.state(postmaster)).isEqualTo('T');
      } finally {
        pg.resume();
      }
      assertThat(Signals.state(postmaster)).isNotEqualTo('T');

      pg.kill();
      assertThat(tree).allMatch(pid -> Signals.state(pid) == 'X');
      pg.start();
      assertThat(pg.pid()).isNotEqualTo(postmaster);

      int port = pg.port();
      PgServerChecks.crashCycle(pg);
      assertThat(pg.port()).isEqualTo(port);
      assertThat(pg.adminUrl()).contains(":" + port + "/");
    }
  }
}
