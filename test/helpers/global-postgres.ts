/**
 * vitest globalSetup for PostgreSQL suites: start a real PostgreSQL server on loopback (or use
 * TEST_DATABASE_URL), build the template database once; each test clones it (CREATE DATABASE … TEMPLATE).
 */
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/index';
import { freshDatabase, startPostgres, type PgServer } from './postgres-server';
import { postgresBinDir, requireSystem } from './system';
import { prepareTemplate } from './template';

let server: PgServer | null = null;

export default async function setup(project: TestProject) {
  let baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    const bin = postgresBinDir();
    if (!requireSystem('PostgreSQL (package postgresql)', bin !== null)) {
      project.provide('postgresUrl', '');
      return;
    }
    server = await startPostgres(bin!);
    baseUrl = server.url('postgres');
  }
  const d = await openDatabase({ databaseUrl: await freshDatabase(baseUrl, 'yiqu_template'), dataDir: '' });
  await prepareTemplate(d.db);
  await d.close();
  project.provide('postgresUrl', baseUrl);
  return () => server?.stop();
}
