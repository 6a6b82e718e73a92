import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** TCP port; default a free one. */
  readonly port?: number;
  /**
   * Install Debian's `redis-server` with `apt-get` when it is missing and this process runs as
   * root (default true). Otherwise a missing binary is an error saying what to install.
   */
  readonly install?: boolean;
  /** Longest wait for the server to answer PING, in ms (default 10,000). */
  readonly readyTimeoutMs?: number;
}

/** A `redis-server` child process with no persistence, in a temporary directory. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The server's process id. */
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would; the directory stays until `stop()`. */
  kill(): Promise<void>;
}

const INSTALL_HINT =
  'redis-server is not installed: run `apt-get install redis-server` (Debian/Ubuntu, as root) or put a redis-server (or valkey-server) binary on PATH';

/** The path of a `redis-server` (or `valkey-server`) binary, or undefined. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.DSPY_TS_REDIS_SERVER;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const name of ['redis-server', 'valkey-server']) {
    for (const dir of dirs) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

function installWithApt(): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  try {
    execFileSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'ignore', timeout: 300_000 });
  } catch {
    // Falls through to the error below, which says what to run.
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a real `redis-server` for tests and benchmarks: on a free port of 127.0.0.1, with
 * neither RDB snapshots nor AOF, in a fresh temporary directory. Installs Debian's package
 * when missing (as root); otherwise throws an error naming `apt-get install redis-server`.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * configureCache({ redis: { url: redis.url } });
 * // …
 * await redis.stop();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  let binary = findRedisServer();
  if (!binary && options.install !== false) {
    installWithApt();
    binary = findRedisServer();
  }
  if (!binary) throw new Error(INSTALL_HINT);
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'dspy-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(binary, [...args, '--dir', dir, '--daemonize', 'no', '--logfile', ''], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${binary} did not start on port ${port} (exit code ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid ?? 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited(child);
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
