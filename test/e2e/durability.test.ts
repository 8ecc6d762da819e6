import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index';
import { prepareBenchData } from '../../bench/prepare';
import { openTestDatabase, type TestDatabase } from '../helpers/db';
import { startServerProcess } from '../helpers/server-process';
import { inject } from 'vitest';
import { requireSystem } from '../helpers/system';

const kinds = ['pglite', 'postgres'] as const;

describe.each(kinds)('a check-in acknowledged to the phone survives kill -9 (%s)', (kind) => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => { for (const d of dbs) await d.drop(); });
  const available = kind === 'pglite' || requireSystem('PostgreSQL (package postgresql)', Boolean(inject('postgresUrl')));

  it.runIf(available)('every acknowledged check-in is in the database after SIGKILL and reopen', async () => {
    const tdb = await openTestDatabase(kind);
    dbs.push(tdb);
    const data = await prepareBenchData(tdb.db, 2, 40);
    await tdb.close();
    const env: Record<string, string> = tdb.location.databaseUrl ? { DATABASE_URL: tdb.location.databaseUrl } : { DATA_DIR: tdb.location.dataDir };
    const server = await startServerProcess(env);
    const acked: string[] = [];
    // 40 residents enter at once; kill the server the moment the last answer arrives
    await Promise.all(data.residents.map(async (r, i) => {
      const res = await fetch(`${server.url}/api/r/checkins`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie: r.cookie },
        body: JSON.stringify({ token: data.tokens[i % data.tokens.length], direction: 'in', temperature: '36.5', personIds: [r.personId] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: { checkinId: string; outcome: string }[] };
      acked.push(body.results[0]!.checkinId);
    }));
    await server.kill9();
    const reopened = await openDatabase(tdb.location);
    const rows = await reopened.db.selectFrom('checkins').select('id').where('id', 'in', acked).execute();
    const stays = await reopened.db.selectFrom('stays').select('id').where('closed_at', 'is', null).execute();
    await reopened.close();
    expect(acked).toHaveLength(40);
    expect(rows).toHaveLength(40);
    expect(stays).toHaveLength(40);
  });
});
