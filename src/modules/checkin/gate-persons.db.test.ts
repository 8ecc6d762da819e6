import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { registerDevice } from '../../../test/helpers/factories/persons';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { setStatus } from '../status/service';
import { gateOf } from './service';
import type { PersonReads } from './gate-persons';

// The gate's view of a person's status (gate-persons.ts): a read that may be older than a status
// change is used only by the scans that asked for it before the change, and never cached.
describe('the gate\'s view of a status', () => {
  let t: TestApp;
  let tokenA: string; let tokenB: string;
  beforeAll(async () => {
    t = await createTestApp();
    const a = await buildPlace(t.ctx, { name: '建业小区', communityCode: '410811001001' });
    const b = await buildPlace(t.ctx, { name: '丹尼斯超市', kind: 'supermarket', communityCode: '410811001002' });
    tokenA = (await buildCheckpoint(t.ctx, a.id, { name: '东门' })).token;
    tokenB = (await buildCheckpoint(t.ctx, b.id, { name: '正门' })).token;
  });
  afterAll(async () => { await t?.close(); });

  const sys = { kind: 'system' as const, id: null, role: 'system' };
  const post = (cookie: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/r/checkins', headers: { cookie }, payload: body });

  /** The person's next scan (at the supermarket) is refused for their status. */
  const expectBarred = async (d: { cookie: string; personId: string }) => {
    const r = await post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.4', personIds: [d.personId] });
    expect(r.json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
  };
  /** A promise and the function that resolves it: to hold a step of a scan, or to know it was reached. */
  const signal = () => {
    let fire!: () => void;
    const done = new Promise<void>((r) => (fire = r));
    return { done, fire };
  };

  /** Hold the first person read made from now on once it has its answer; `restore` puts the real reads back. */
  const holdFirstRead = (reads: PersonReads) => {
    const load = reads.load;
    const got = signal();
    const held = signal();
    let calls = 0;
    reads.load = async (id) => { if (++calls > 1) return load(id); const p = await load(id); got.fire(); await held.done; return p; };
    return { read: got.done, release: held.fire, restore: () => { held.fire(); reads.load = load; } };
  };
  /** A check-in with a device cookie of the right form that no phone holds: refused, after its persons are read. */
  const forgedScan = (personId: string) =>
    post(`yiqu_device=${randomUUID()}.${'A'.repeat(43)}`, { token: tokenA, direction: 'in', temperature: '36.4', personIds: [personId] });

  it('does not keep a status read that a status change overtook', async () => {
    const d = await registerDevice(t);
    const gate = await gateOf(t.ctx);
    const load = gate.persons.load;
    const { done: read, fire: readDone } = signal();
    const { done: held, fire: release } = signal();
    // the person's status is read before the change commits, and its answer arrives after
    gate.persons.load = async (id) => { const p = await load(id); readDone(); await held; return p; };
    try {
      const first = post(d.cookie, { token: tokenA, direction: 'in', temperature: '36.4', personIds: [d.personId] });
      await read;
      await setStatus(t.ctx.db, d.personId, 'home_isolation', '密接，居家隔离14天', sys);
      release();
      expect((await first).statusCode).toBe(200); // decided on the old or the new status, depending on timing
    } finally {
      gate.persons.load = load;
    }
    await expectBarred(d);
  });

  it('does not keep a status read made before the change\'s own transaction committed', async () => {
    const d = await registerDevice(t);
    const reads = (await gateOf(t.ctx)).persons;
    const load = reads.load;
    const { done: read, fire: readDone } = signal();
    reads.load = async (id) => { const p = await load(id); readDone(); return p; };
    let first!: ReturnType<typeof post>;
    try {
      // as a case or a key person is recorded: the change is noticed at once, committed at the end
      await t.ctx.db.transaction().execute(async (trx) => {
        await setStatus(trx, d.personId, 'home_isolation', '确诊病例密接，居家隔离', sys);
        first = post(d.cookie, { token: tokenA, direction: 'in', temperature: '36.4', personIds: [d.personId] });
        // on PostgreSQL the scan reads the old status meanwhile; the embedded database's one
        // connection makes it wait for the commit
        if (t.ctx.database.kind === 'postgres') await read;
      });
    } finally {
      reads.load = load;
    }
    // concurrent with the change on PostgreSQL: either status, depending on timing; the embedded
    // database decided it after the commit
    const res = await first;
    if (t.ctx.database.kind === 'pglite') expect(res.json().results[0].outcome).toBe('refused');
    else expect(res.statusCode).toBe(200);
    await expectBarred(d);
  });

  it('does not cache a read made while the change\'s own transaction is open, nor its old reason', async () => {
    const d = await registerDevice(t);
    const reads = (await gateOf(t.ctx)).persons;
    await setStatus(t.ctx.db, d.personId, 'home_isolation', '旧原因：密接', sys);
    expect(reads.pending.has(d.personId)).toBe(false); // committed when noticed: nothing to wait for
    await expectBarred(d); // cached now, with the old reason
    await t.ctx.db.transaction().execute(async (trx) => {
      await setStatus(trx, d.personId, 'home_isolation', '新原因：次密接延长隔离', sys);
      // the embedded database's one connection would make the scan wait for this commit
      if (t.ctx.database.kind === 'postgres') {
        const r = await post(d.cookie, { token: tokenA, direction: 'in', temperature: '36.4', personIds: [d.personId] });
        expect(r.json().results[0].reason).toContain('旧原因'); // the new reason is not committed yet
      }
    });
    // at another place than the scan before, or the re-scan window would return that scan's record
    const token = t.ctx.database.kind === 'postgres' ? tokenB : tokenA;
    const r = await post(d.cookie, { token, direction: 'in', temperature: '36.4', personIds: [d.personId] });
    expect(r.json().results[0]).toMatchObject({ duplicate: false, reasonCode: 'status_barred' });
    expect(r.json().results[0].reason).toContain('新原因');
    expect(reads.pending.has(d.personId)).toBe(false);
  });

  it('does not hand a scan after a commit a read begun between the change\'s notice and that commit', async () => {
    const d = await registerDevice(t);
    const { read, release, restore } = holdFirstRead((await gateOf(t.ctx)).persons);
    try {
      let probe!: ReturnType<typeof post>;
      await t.ctx.db.transaction().execute(async (trx) => {
        await setStatus(trx, d.personId, 'home_isolation', '密接，居家隔离14天', sys);
        probe = forgedScan(d.personId); // it reads the person: the old status, on PostgreSQL
        if (t.ctx.database.kind === 'postgres') await read;
      });
      const scan = post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.4', personIds: [d.personId] });
      await new Promise((r) => setTimeout(r, 50));
      release();
      expect((await probe).statusCode).toBe(401);
      expect((await scan).json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
    } finally {
      restore();
    }
  });

  it('decides a scan that starts after a status change on the new status, not on a read begun before it', async () => {
    const d = await registerDevice(t);
    const { read, release, restore } = holdFirstRead((await gateOf(t.ctx)).persons);
    try {
      const first = forgedScan(d.personId);
      await read; // that read has its (old) answer and is held
      expect((await first).statusCode).toBe(401);
      await setStatus(t.ctx.db, d.personId, 'home_isolation', '密接，居家隔离14天', sys);
      const scan = post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.4', personIds: [d.personId] });
      await new Promise((r) => setTimeout(r, 50));
      release();
      expect((await scan).json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'status_barred' });
    } finally {
      restore();
    }
  });

  it('decides a re-scan right after a fever refusal on fever pending, though its read began before that commit', async () => {
    const d = await registerDevice(t);
    const gate = await gateOf(t.ctx);
    const { load } = gate.persons;
    const { write } = gate.writer;
    const { done: writeHeld, fire: writeGo } = signal();
    const { done: writing, fire: inWrite } = signal();
    gate.writer.write = async (set) => { inWrite(); await writeHeld; return write(set); };
    const { done: firstDecided, fire: firstDone } = signal();
    let calls = 0;
    const { done: secondReading, fire: secondRead } = signal();
    // the second scan's read runs before the first scan's fever commits; its answer arrives after
    gate.persons.load = async (id) => { const n = ++calls; const p = await load(id); if (n === 2) { secondRead(); await firstDecided; } return p; };
    try {
      const s1 = post(d.cookie, { token: tokenA, direction: 'in', temperature: '38.5', personIds: [d.personId] });
      await writing;
      gate.persons.cache.delete(d.personId); // as if the entry had expired
      const s2 = post(d.cookie, { token: tokenB, direction: 'in', temperature: '36.5', personIds: [d.personId] });
      await secondReading;
      gate.writer.write = write;
      writeGo();
      expect((await s1).json().results[0]).toMatchObject({ outcome: 'refused', reasonCode: 'fever' });
      setTimeout(firstDone, 50);
      expect((await s2).json().results[0]).toMatchObject({ outcome: 'refused' });
    } finally {
      writeGo();
      firstDone();
      gate.writer.write = write;
      gate.persons.load = load;
    }
  });

  it('stops listening to status and checkpoint changes when its app closes', async () => {
    const d = await registerDevice(t);
    const worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811001001' }));
    const place = await buildPlace(t.ctx, { name: '关门小区', communityCode: '410811001001' });
    const checkpointId = (await buildCheckpoint(t.ctx, place.id)).checkpoint.id;
    const reissue = async () => expect((await t.app.inject({ method: 'POST', url: `/api/checkpoints/${checkpointId}/reissue-token`, headers: { cookie: worker } })).statusCode).toBe(200);
    const other = await createTestApp();
    const gate = await gateOf(other.ctx);
    const seen = { maskedName: '张*三', status: 'normal', reason: '' };
    const remember = () => { gate.persons.cache.set(d.personId, seen); gate.checkpoints.set('a-token', null); };
    remember();
    await setStatus(t.ctx.db, d.personId, 'home_isolation', '密接，居家隔离14天', sys);
    await reissue();
    // while open it hears every change in the process
    expect(gate.persons.cache.get(d.personId)).toBeUndefined();
    expect(gate.checkpoints.get('a-token')).toBeUndefined();
    remember();
    await other.close();
    await setStatus(t.ctx.db, d.personId, 'normal', '解除隔离', sys);
    await reissue();
    expect(gate.persons.cache.get(d.personId)).toEqual(seen);
    expect(gate.checkpoints.get('a-token')).toBeNull();
  });

  it('commits the check-ins still queued before its app closes', async () => {
    const other = await createTestApp();
    try {
      const d = await registerDevice(other);
      const place = await buildPlace(other.ctx, { name: '关门小区', communityCode: '410811001001' });
      const cp = (await buildCheckpoint(other.ctx, place.id)).checkpoint;
      const id = randomUUID();
      const gate = await gateOf(other.ctx);
      const written = gate.writer.write({ checkins: [{ id, person_id: d.personId, checkpoint_id: cp.id, place_id: place.id, community_code: '410811001001',
        direction: 'out', temperature: null, outcome: 'pass', refusal: null, source: 'guard', actor_id: null, at: new Date() }], stayInserts: [], stayCloses: [], alerts: [] });
      await other.app.close();
      const rows = await other.ctx.db.selectFrom('checkins').select('id').where('id', '=', id).execute();
      expect(rows).toHaveLength(1);
      await written;
    } finally {
      await other.database.drop();
    }
  });
});
