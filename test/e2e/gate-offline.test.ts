/**
 * Issue 3 acceptance, the offline gate: the guard opens /gate online once (sync: keys, the
 * revocation of one card, the statuses of persons barred from moving), then the browser context
 * goes offline; 50 codes are scanned through the paste box (normal persons entering and leaving,
 * two fevers, five barred persons, a valid and a revoked card, a tampered and a garbage code); the
 * page is reloaded while still offline (the service worker serves it, the IndexedDB queue
 * survives); back online the queue uploads by itself: exactly the accepted scans are recorded once
 * each as passes, refusals as refusals with their reasons, nothing twice; then the same queue
 * posted twice at once through the API changes nothing. No request leaves the test server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireChromium, screenshot, watchProblems } from '../helpers/browser';
import { qrCodesOnPdfPage, requireQrTools } from '../helpers/qr';
import { call, launchWithCamera, openGatePage, passCode, registerResident, staffCookie, startGateWorld, WAIT,
  type GateWorld, type Resident } from './gate-page.world';

interface LiveRow { maskedName: string; direction: string; temperature: number | null; outcome: string; refusal: string | null; source: string }
interface Planned { label: string; token: string; masked: string | null; direction: 'in' | 'out'; temp: string; expect: [string, string | null] | 'rejected' }
interface ScanIn { idempotencyKey: string; token: string; direction: string; temperature: number | null; scannedAt: string; offline: boolean; localDecision: { outcome: string; reasonCode: string | null } }

// distinct first and last characters: every masked name (X*Y) is unique in the live list
const FIRST = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方';
const LAST = '明';
const nameOf = (i: number) => `${FIRST[i]}晓${LAST}`;
const maskedOf = (i: number) => `${FIRST[i]}*${LAST}`;

const ready = requireChromium() && requireQrTools();

describe.runIf(ready)('offline gate: 50 scans offline, reload offline, upload once', () => {
  let w: GateWorld;
  let guardCookie = '';
  let browser: Browser;

  beforeAll(async () => {
    // pass codes live 5 minutes here: the 50 scans need not race the 60 s default on a loaded machine
    w = await startGateWorld({ PASS_CODE_TTL_S: '300' });
    guardCookie = await staffCookie(w.base, w.guard);
    browser = await launchWithCamera();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await w?.server.stop().catch(() => undefined);
    await w?.tdb.drop();
  });

  const live = async () => (await call<{ checkins: LiveRow[] }>(w.base, 'GET', `/api/gate/checkins?checkpointId=${w.checkpointId}`, guardCookie)).checkins;

  /** A card PDF's QR, decoded as a phone would (pdftoppm → zbarimg). */
  async function cardToken(personId: string): Promise<{ id: string; token: string }> {
    const issued = await call<{ card: { id: string }; pdfUrl: string }>(w.base, 'POST', `/api/persons/${personId}/cards`, guardCookie, {});
    const res = await fetch(w.base + issued.pdfUrl, { headers: { cookie: guardCookie } });
    expect(res.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiqu-card-'));
    const pdf = path.join(dir, 'card.pdf');
    fs.writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    const [token] = qrCodesOnPdfPage(pdf, 1, 200);
    fs.rmSync(dir, { recursive: true, force: true });
    return { id: issued.card.id, token: token! };
  }

  it('verifies and queues 50 scans offline, survives a reload, and uploads each exactly once', async () => {
    // ---- the people, online, before the guard's sync ----
    const people: Resident[] = [];
    for (let i = 0; i < 48; i++) people.push(await registerResident(w.base, nameOf(i)));
    const doctor = await staffCookie(w.base, w.doctor);
    const barred = people.slice(41, 46);
    const statuses = ['home_isolation', 'home_isolation', 'medical_observation', 'centralized_isolation', 'case'];
    for (const [k, p] of barred.entries()) {
      await call(w.base, 'POST', `/api/persons/${p.personId}/status`, doctor, { status: statuses[k], reason: '测试：社区通知' });
    }
    const validCard = await cardToken(people[46]!.personId);
    const revokedCard = await cardToken(people[47]!.personId);
    await call(w.base, 'POST', `/api/cards/${revokedCard.id}/revoke`, guardCookie, { reason: '卡片遗失' });

    const plan: Planned[] = [];
    for (let i = 0; i < 41; i++) {
      const code = await passCode(w.base, people[i]!);
      expect(code.maskedName).toBe(maskedOf(i));
      const fever = i === 5 || i === 17;
      const out = i === 30 || i === 31;
      plan.push({ label: `pass ${i}`, token: code.token, masked: maskedOf(i), direction: out ? 'out' : 'in', temp: out ? '' : fever ? '37.6' : `36.${i % 9}`,
        expect: fever ? ['refused', 'fever'] : ['pass', null] });
    }
    for (const [k, p] of barred.entries()) {
      plan.push({ label: `barred ${k}`, token: (await passCode(w.base, p)).token, masked: maskedOf(41 + k), direction: 'in', temp: '', expect: ['refused', 'status_barred'] });
    }
    plan.push({ label: 'card', token: validCard.token, masked: maskedOf(46), direction: 'in', temp: '36.4', expect: ['pass', null] });
    plan.push({ label: 'revoked card', token: revokedCard.token, masked: maskedOf(47), direction: 'in', temp: '', expect: ['refused', 'token_revoked'] });
    const [hd, pl, sig] = plan[0]!.token.split('.');
    const forged = JSON.parse(Buffer.from(pl!, 'base64url').toString()) as Record<string, unknown>;
    plan.push({ label: 'tampered', token: `${hd}.${Buffer.from(JSON.stringify({ ...forged, sub: people[1]!.personId })).toString('base64url')}.${sig}`,
      masked: null, direction: 'in', temp: '', expect: 'rejected' });
    plan.push({ label: 'garbage', token: 'hello, this is not a code', masked: null, direction: 'in', temp: '', expect: 'rejected' });
    expect(plan).toHaveLength(50);

    const problems: string[] = [];
    const foreign: string[] = [];
    let page: Page | null = null;
    try {
      const { context, page: p } = await openGatePage(browser, w, guardCookie, foreign);
      page = p;
      watchProblems(page, 'gate', problems);
      // the service worker has the page and its assets before the network goes
      await page.evaluate(async () => { await navigator.serviceWorker.ready; });
      // installable as an app: manifest (name, icons 192 and 512, start_url in scope) and worker
      const cdp = await context.newCDPSession(page);
      const installability = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId);
      expect(installability.filter((id) => id !== 'in-incognito')).toEqual([]); // test contexts are incognito
      expect((await cdp.send('Page.getAppManifest')).errors).toEqual([]);
      await context.setOffline(true);
      await page.getByTestId('net').and(page.locator('[data-online="false"]')).waitFor(WAIT);

      // ---- 50 scans through the paste box, offline ----
      const result = page.getByTestId('result');
      for (const s of plan) {
        await page.locator(`.dir-${s.direction}`).click();
        await page.getByLabel('输入或粘贴通行码').fill(s.token);
        await page.getByLabel('输入或粘贴通行码').press('Enter');
        await page.locator('[data-testid="result"][data-state="judging"]').waitFor(WAIT);
        if (s.masked) expect(await result.getByTestId('result-name').textContent(), s.label).toBe(s.masked);
        if (s.temp) await page.getByLabel('体温', { exact: true }).fill(s.temp);
        const expected = s.expect === 'rejected' ? 'refused' : s.expect[0];
        expect(await result.getAttribute('data-outcome'), s.label).toBe(expected);
        if (s.expect !== 'rejected' && s.expect[1]) expect(await result.getAttribute('data-reason-code'), s.label).toBe(s.expect[1]);
        await result.locator('.btn-go').click();
        await page.locator('[data-testid="result"][data-state="queued"]').waitFor(WAIT);
      }
      await page.locator('[data-testid="queue"][data-count="50"]').waitFor(WAIT);
      expect(await live()).toEqual([]); // nothing reached the server

      // ---- reload while offline: the page opens from the service worker, the queue is still there ----
      const failed: string[] = [];
      context.on('requestfailed', (r) => failed.push(`${r.serviceWorker() ? 'sw' : 'page'} ${r.url()} ${r.failure()?.errorText}`));
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      // the worker did try the network first, and the network was really gone
      expect(failed).toContain(`sw ${w.base}/gate net::ERR_INTERNET_DISCONNECTED`);
      await page.locator('[data-testid="queue"][data-count="50"]').waitFor(WAIT);
      await page.getByTestId('net').and(page.locator('[data-online="false"]')).waitFor(WAIT);
      expect(await page.locator('[data-testid="recent"] li[data-state="pending"]').count()).toBe(30); // the newest 30 are listed
      // still verifying after the reload, offline, from the sync kept in IndexedDB (keys, statuses, revocations)
      for (const s of [plan[0]!, plan[41]!, plan[47]!]) {
        await page.getByLabel('输入或粘贴通行码').fill(s.token);
        await page.getByLabel('输入或粘贴通行码').press('Enter');
        await page.locator('[data-testid="result"][data-state="judging"]').waitFor(WAIT);
        expect(await result.getByTestId('result-name').textContent(), s.label).toBe(s.masked);
        expect(await result.getAttribute('data-outcome'), s.label).toBe(s.expect === 'rejected' ? 'refused' : s.expect[0]);
        expect(await result.getAttribute('data-reason-code'), s.label).toBe(s.expect === 'rejected' ? '' : s.expect[1] ?? '');
        await page.getByRole('button', { name: '取消', exact: true }).click(); // not recorded
      }
      await page.locator('[data-testid="result"][data-state="idle"]').waitFor(WAIT);
      expect(await page.getByTestId('queue').getAttribute('data-count')).toBe('50');
      const queued = await page.evaluate(() => new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('yiqu-gate');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('queue').objectStore('queue').getAll();
          get.onsuccess = () => resolve(get.result as unknown[]);
          get.onerror = () => reject(get.error);
        };
      })) as Array<ScanIn & { checkpointId: string; maskedName: string | null; queuedAt: number }>;
      expect(queued).toHaveLength(50);
      expect(new Set(queued.map((q) => q.idempotencyKey)).size).toBe(50);
      expect(queued.every((q) => q.offline && q.checkpointId === w.checkpointId)).toBe(true);

      // ---- back online: the queue uploads by itself ----
      await context.setOffline(false);
      await page.locator('[data-testid="queue"][data-count="0"]').waitFor({ timeout: 40_000 });
      await page.getByTestId('net').and(page.locator('[data-online="true"]')).waitFor(WAIT);
      const rows = await live();
      expect(rows.every((r) => r.source === 'guard')).toBe(true);
      const byName = new Map<string, LiveRow[]>();
      for (const r of rows) byName.set(r.maskedName, [...(byName.get(r.maskedName) ?? []), r]);
      for (const s of plan) {
        if (s.expect === 'rejected') continue;
        const mine = byName.get(s.masked!) ?? [];
        expect(mine.map((r) => [r.outcome, r.refusal, r.direction]), s.label).toEqual([[...s.expect, s.direction]]);
        if (s.expect[0] === 'pass' && s.direction === 'in') expect(mine[0]!.temperature, s.label).toBe(Number(s.temp));
      }
      const recorded = plan.filter((s) => s.expect !== 'rejected');
      expect(rows).toHaveLength(recorded.length); // 48: the tampered and the garbage code are no check-in
      expect(rows.filter((r) => r.outcome === 'pass')).toHaveLength(plan.filter((s) => s.expect !== 'rejected' && s.expect[0] === 'pass').length);
      expect(await page.locator('[data-testid="recent"] li[data-state="pending"]').count()).toBe(0);
      expect(await page.locator('[data-testid="recent"] li[data-state="rejected"]').count()).toBe(2);

      // ---- the same queue, posted twice at once through the API: nothing changes ----
      const scans: ScanIn[] = queued.map(({ checkpointId: _c, maskedName: _m, queuedAt: _q, ...s }) => s);
      const post = () => call<{ results: Array<{ idempotencyKey: string; status: string }> }>(w.base, 'POST', '/api/gate/scans', guardCookie,
        { checkpointId: w.checkpointId, sentAt: new Date().toISOString(), scans });
      const [a, b] = await Promise.all([post(), post()]);
      for (const out of [a, b]) {
        expect(out.results).toHaveLength(50);
        expect(new Set(out.results.map((r) => r.status))).toEqual(new Set(['duplicate']));
      }
      const sorted = (list: LiveRow[]) => list.map((r) => JSON.stringify(r)).sort();
      expect(sorted(await live())).toEqual(sorted(rows));
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      const file = page ? await screenshot(page, 'gate-offline-failure') : null;
      if (file) console.error(`screenshot at the failure: ${file}`);
      if (problems.length) console.error(`page problems: ${problems.join(' | ')}`);
      throw e;
    }
  }, 240_000);
});
