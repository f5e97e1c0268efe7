package dev.baedal.devinfra;

/**
 * A server in a process (or container) of its own, which a fault test can freeze and kill, not only
 * stop: what a real deployment sees when a machine stalls or dies.
 *
 * <pre>{@code
 * pg.pause();   // SIGSTOP (docker pause): connections stay open, nothing answers
 * pg.resume();  // SIGCONT (docker unpause)
 * pg.kill();    // SIGKILL (docker kill): no shutdown, no flush
 * pg.start();   // back on the same port and data; PostgreSQL runs crash recovery
 * }</pre>
 */
public interface Crashable extends Restartable {
  /** Freezes the server and every process it started: nothing it owns runs until resumed. */
  void pause();

  /** Lets a paused server run again. */
  void resume();

  /**
   * Kills the server and all its processes at once (SIGKILL), and returns when they are gone; the
   * data stays as the crash left it, for {@link #start()}.
   */
  void kill();
}
