#!/usr/bin/env node
// The operators' command-line tool (`npx yiqu --help`). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
