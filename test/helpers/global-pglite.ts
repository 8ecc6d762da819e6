/**
 * vitest globalSetup for PGlite suites: build one migrated data dir (initdb takes ~5 s), keyed by
 * a hash of the migrations, that every test copies (~1 s) instead of running initdb again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/index';
import { listMigrations } from '../../src/db/migrate';
import { prepareTemplate } from './template';

export default async function setup(project: TestProject) {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.body);
  h.update(fs.readFileSync('assets/divisions/4108.json'));
  h.update(fs.readFileSync('test/helpers/template.ts'));
  const dir = path.resolve('.test-cache', `pglite-${h.digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(path.join(dir, 'READY'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const d = await openDatabase({ dataDir: dir });
    await prepareTemplate(d.db);
    await d.close();
    fs.writeFileSync(path.join(dir, 'READY'), new Date().toISOString());
  }
  project.provide('pgliteTemplate', dir);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresUrl: string;
  }
}
