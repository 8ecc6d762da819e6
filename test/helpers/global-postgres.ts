/**
 * vitest globalSetup for PostgreSQL suites: start a real PostgreSQL server on loopback (or use
 * TEST_DATABASE_URL), build the template database once; each test clones it (CREATE DATABASE … TEMPLATE).
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/index';
import { startPostgres, type PgServer } from './postgres-server';
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
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS yiqu_template');
  await admin.query('CREATE DATABASE yiqu_template');
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = '/yiqu_template';
  const d = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await prepareTemplate(d.db);
  await d.close();
  project.provide('postgresUrl', baseUrl);
  return () => server?.stop();
}
