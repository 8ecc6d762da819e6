/**
 * `npm start`: the server with the embedded database (or DATABASE_URL), the divisions of 焦作市
 * loaded and, on an empty database, the demo places and staff; prints the URLs and demo logins.
 */
import { loadConfig, publicUrlProblem, type Config } from './config';
import { startServer } from './server';
import { ensureAreas } from './modules/areas/service';
import { seedDemo } from './seed/demo';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message); // which settings are wrong, without a stack trace
  process.exit(1);
}
const running = await startServer(config).catch((err: Error) => {
  // e.g. the data directory is another process's: the message says which and what to do
  console.error(`yiqu: ${err.message}`);
  process.exit(1);
});
await ensureAreas(running.ctx);
const logins = config.SEED_DEMO === '1' ? await seedDemo(running.ctx) : [];

const base = config.PUBLIC_URL;
const lines = [
  '',
  `Yiqu 一区一码 is running (${running.ctx.database.kind}${running.ctx.database.kind === 'pglite' ? `, data in ${config.DATA_DIR}` : ''})`,
  `  Staff console   ${base}/console/`,
  `  Resident pages  ${base}/c/<checkpoint token>   (scan a poster)`,
  `  My page         ${base}/me   my pass code ${base}/pass`,
  `  Guard's gate    ${base}/gate   (scan pass codes and cards; works offline once opened)`,
  `  API             ${base}/openapi.json   health ${base}/healthz`,
  ...(logins.length ? ['', 'Demo logins (one password for all, on the last line):', ...logins.map((l) => `  ${l}`)] : []),
  ...(publicUrlProblem(base) ? ['', `Note: posters and certificates print ${base} in their QR codes, which ${publicUrlProblem(base) === 'loopback'
    ? 'no phone can open' : 'is not https'}: set PUBLIC_URL to this server's public https address before printing them.`] : []),
  '',
];
console.log(lines.join('\n'));

// Ctrl-C reaches the server twice (the terminal signals the whole process group, and tsx passes
// its own on): a second signal must not cut the stop short and leave the database unclosed. A stop
// that hangs ends the process after STOP_TIMEOUT_MS.
const STOP_TIMEOUT_MS = 10_000;
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    running.stop().then(() => {
      console.log('Yiqu stopped; the database is closed.');
      process.exit(0);
    }, (err: unknown) => {
      console.error('Yiqu stopped with an error:', err);
      process.exit(1);
    });
  });
}
