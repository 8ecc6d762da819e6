/**
 * The real server as a child process (so a test can kill it with SIGKILL), on a loopback port,
 * against a given database location. Resolves when it prints READY.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start src/bench-server.ts (no seed, no jobs) with `env` (DATA_DIR or DATABASE_URL, …).
 * @throws when the server exits first or is not READY within 60 s; the child is then killed, so a
 * hung start leaves no server (and its ~400 MB embedded database) behind.
 */
export async function startServerProcess(env: Record<string, string>, entry = 'src/bench-server.ts'): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: '0', ...env, PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 60 s: ${out}`));
    }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${out}`));
    });
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
