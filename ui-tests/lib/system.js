// Starts `java -jar baedal.jar dev` in a fresh temporary directory on free ports, or uses BAEDAL_URL.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const DEFAULT_JAR = path.join(REPO, 'launcher/target/baedal.jar');

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until the jar exists and has stopped changing (the lead may be rebuilding it). */
async function waitForJar(jar, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last = null;
  let announced = false;
  for (;;) {
    const s = await stat(jar).catch(() => null);
    const sig = s ? `${s.size}:${s.mtimeMs}` : null;
    if (s && sig === last) return;
    if (Date.now() > until)
      throw new Error(
        `${jar} is missing or still changing (build it with mvn package, or set BAEDAL_JAR)`,
      );
    if (!s && !announced) {
      console.log(`# waiting for ${jar} to appear …`);
      announced = true;
    }
    last = sig;
    await sleep(s ? 1500 : 3000);
  }
}

/**
 * The system under test: {url, stop(), logTail(), outbox}. With BAEDAL_URL set, that running system
 * is used and stop() does nothing. `outbox` is the notifier's JSON Lines file (the messages it
 * delivered, with their buttons' links; BAEDAL_OUTBOX names it for a system the test did not start),
 * and `notifier` whether the notifier runs.
 */
export async function startSystem({
  readyTimeoutMs = 120_000,
  jarWaitMs = Number(process.env.BAEDAL_JAR_WAIT_MS ?? 300_000),
} = {}) {
  if (process.env.BAEDAL_URL) {
    return {
      url: process.env.BAEDAL_URL.replace(/\/+$/, ''),
      stop: async () => {},
      logTail: async () => '',
      external: true,
      outbox: process.env.BAEDAL_OUTBOX ?? null,
      notifier: Boolean(process.env.BAEDAL_OUTBOX),
    };
  }
  const jar = path.resolve(process.env.BAEDAL_JAR ?? DEFAULT_JAR);
  await waitForJar(jar, jarWaitMs);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baedal-ui-'));
  const logFile = path.join(dir, 'baedal-dev.log');
  const log = createWriteStream(logFile);
  const [http, pg, kafka] = [await freePort(), await freePort(), await freePort()];
  const java =
    process.env.JAVA ??
    (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  const started = Date.now();
  const child = spawn(java, ['-jar', jar, 'dev'], {
    cwd: dir,
    // links in notifications point at this system (the default names port 8080)
    env: {
      ...process.env,
      BAEDAL_HTTP_PORT: String(http),
      BAEDAL_DEV_PG_PORT: String(pg),
      BAEDAL_DEV_KAFKA_PORT: String(kafka),
      BAEDAL_PUBLIC_URL: `http://127.0.0.1:${http}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log, { end: false });
  // never leave the JVM behind when the test process goes away early
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines = readline.createInterface({ input: child.stdout });
  let stopping = false;
  exited.then(({ code, signal }) => {
    if (!stopping)
      console.log(
        `# baedal dev exited on its own while in use (exit code ${code ?? signal}): stopped by something outside the test?`,
      );
  });

  const logTail = async (n = 60) => {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-n).join('\n');
  };
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', orphanGuard);
    if (child.exitCode === null && child.signalCode === null) {
      const t0 = Date.now();
      child.kill('SIGTERM');
      const done = await Promise.race([exited, sleep(30_000, null, { ref: false })]);
      if (!done) {
        console.log('# baedal dev did not stop within 30 s of SIGTERM; killing it');
        child.kill('SIGKILL');
        await exited;
      } else {
        console.log(
          `# baedal dev stopped on SIGTERM in ${((Date.now() - t0) / 1000).toFixed(1)} s (exit code ${done.code ?? done.signal})`,
        );
      }
    }
    log.end();
    if (!process.env.KEEP_BAEDAL_DIR)
      await rm(dir, { recursive: true, force: true }).catch(() => {});
  };

  let notifier = false;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baedal dev was not ready within ${readyTimeoutMs / 1000} s`)),
      readyTimeoutMs,
    );
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (line.startsWith('Baedal is ready at')) {
        clearTimeout(timer);
        notifier = !line.includes('without the notifier');
        const m = line.match(/https?:\/\/\S+/);
        resolve((m ? m[0] : `http://127.0.0.1:${http}`).replace(/\/+$/, ''));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`baedal dev exited before it was ready (code ${code}, signal ${signal})`));
    });
  }).catch(async (e) => {
    const tail = await logTail();
    await stop();
    e.message += `\n--- baedal dev output (last lines) ---\n${tail}`;
    throw e;
  });
  console.log(
    `# baedal dev ready at ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${dir})`,
  );
  return {
    url,
    stop,
    logTail,
    external: false,
    outbox: path.join(dir, '.baedal', 'notifications.jsonl'),
    notifier,
  };
}
