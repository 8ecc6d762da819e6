/** The server as the benchmark runs it: no demo seed, no scheduled jobs, prints READY when listening. */
import { loadConfig } from './config';
import { startServer } from './server';

const running = await startServer(loadConfig(), { jobs: false });
process.stdout.write(`READY ${running.url}\n`);
process.once('SIGTERM', () => {
  void running.stop().finally(() => process.exit(0));
});
