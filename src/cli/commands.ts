/** Commands contributed by modules: each is `(program) => void` adding a commander subcommand. */
import type { Command } from 'commander';

export const CLI_COMMANDS: ((program: Command) => void)[] = [];
