/** Commands contributed by modules: each is `(program) => void` adding a commander subcommand. */
import type { Command } from 'commander';
import { addAccountCommands } from '../modules/staff/accounts-cli';
import { addDevCertCommand } from './dev-cert';
import { addPostersCommand } from './posters';
import { addPurgeCommand } from './purge';

export const CLI_COMMANDS: ((program: Command) => void)[] = [
  addAccountCommands,
  addPostersCommand,
  addPurgeCommand,
  addDevCertCommand,
];
