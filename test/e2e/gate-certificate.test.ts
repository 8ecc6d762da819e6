/**
 * Issue 6 at the gate, in Chromium: a health declaration certificate (typ yq-cert) typed into the
 * guard's paste box, as the full `…/v#<token>` link its QR holds, is verified offline against the
 * synced keys and shows 健康申报证明 有效 with the full name, masked document, center and 有效至;
 * a revoked one (revocation of type 'cert' in the sync) shows 无效 with its reason. A certificate
 * is a verification only: no 确认, nothing queued, no POST /api/gate/scans, no check-in.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { openContext } from '../../src/server';
import { certIssuer, revokeToken, signToken } from '../../src/modules/tokens/service';
import { openTestDatabase } from '../helpers/db';
import { startServerProcess } from '../helpers/server-process';
import { requireChromium, screenshot, watchProblems } from '../helpers/browser';
import { buildCheckpoint, buildPlace } from '../helpers/factories/places';
import { buildStaff } from '../helpers/factories/staff';
import { call, COMMUNITY, launchWithCamera, openGatePage, staffCookie, WAIT, type GateWorld } from './gate-page.world';

const NAME = '欧阳娜娜';
const CLAIMS = { nm: NAME, idm: '410811********1234', dt: '居民身份证', org: '山阳区社区卫生服务中心' };

describe.runIf(requireChromium())('gate page: a typed certificate is verified, never recorded', () => {
  let w: GateWorld;
  let browser: Browser;
  let valid = '';
  let revoked = '';
  let notAfter = '';

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
    const tdb = await openTestDatabase('pglite');
    const config = loadConfig({ DATA_DIR: tdb.location.dataDir, LOG_LEVEL: 'warn' });
    const ctx = await openContext(config, tdb);
    const place = await buildPlace(ctx, { communityCode: COMMUNITY, kind: 'residential', name: '东方红家园' });
    const cp = await buildCheckpoint(ctx, place.id, { name: '北门', mode: 'poster' });
    const guard = await buildStaff(ctx, { role: 'guard', areaCode: COMMUNITY, checkpointId: cp.checkpoint.id, displayName: '门卫老张' });
    const lifetime = config.CERT_VALID_DAYS * 86_400;
    const issuer = certIssuer(config.TOKEN_ISSUER, randomUUID());
    const v = await signToken(ctx, 'cert', randomUUID(), lifetime, CLAIMS, { jti: randomUUID(), issuer });
    const r = await signToken(ctx, 'cert', randomUUID(), lifetime, CLAIMS, { jti: randomUUID(), issuer });
    await revokeToken(ctx, { jti: r.jti!, type: 'cert', expiresAt: r.expiresAt, reason: '测试撤销', staffId: null });
    valid = v.token;
    revoked = r.token;
    notAfter = new Date(v.expiresAt.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    await tdb.close();
    const server = await startServerProcess({ DATA_DIR: tdb.location.dataDir });
    w = { tdb, server, base: server.url, checkpointId: cp.checkpoint.id, placeName: place.name, checkpointName: '北门', guard: guard.username, doctor: '', worker: '' };
    browser = await launchWithCamera();
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await w?.server.stop().catch(() => undefined);
    await w?.tdb.drop();
  });

  it('shows 健康申报证明 有效 / 无效, queues nothing and records no check-in', async () => {
    const cookie = await staffCookie(w.base, w.guard);
    const foreign: string[] = [];
    const seen: string[] = [];
    const problems: string[] = [];
    const { context, page } = await openGatePage(browser, w, cookie, foreign, seen);
    watchProblems(page, 'gate', problems);
    try {
      const result = page.getByTestId('result');
      const box = page.getByLabel('输入或粘贴通行码');
      await box.fill(`${w.base}/v#${valid}`);
      await box.press('Enter');
      await page.locator('[data-testid="result"][data-kind="certificate"][data-outcome="pass"]').waitFor(WAIT);
      expect(await result.getByTestId('verdict').innerText()).toMatch(/健康申报证明\s*有效/);
      expect(await result.getByTestId('result-name').innerText()).toBe(NAME);
      expect(await result.getByTestId('cert-doc').innerText()).toContain('410811********1234');
      expect(await result.getByTestId('cert-org').innerText()).toContain(CLAIMS.org);
      expect(await result.getByTestId('cert-not-after').innerText()).toContain(`有效至：${notAfter}`);
      expect(await result.getByTestId('cert-only').innerText()).toBe('仅核验证明，不记录出入');
      expect(await result.locator('.btn-go').count()).toBe(0);
      await page.screenshot({ path: '/tmp/gate-certificate-valid.png' }).catch(() => undefined);

      await box.fill(revoked);
      await box.press('Enter');
      await page.locator('[data-testid="result"][data-kind="certificate"][data-outcome="refused"]').waitFor(WAIT);
      expect(await result.getAttribute('data-reason-code')).toBe('token_revoked');
      expect(await result.getByTestId('verdict').innerText()).toMatch(/健康申报证明\s*无效/);
      expect(await result.getByTestId('reason').innerText()).toBe('证明已作废');
      await result.getByRole('button', { name: '完成' }).click();
      await page.locator('[data-testid="result"][data-state="idle"]').waitFor(WAIT);

      expect(await page.getByTestId('queue').getAttribute('data-count')).toBe('0');
      expect(await page.getByTestId('recent').locator('li').count()).toBe(0);
      expect(seen.filter((u) => u.includes('/api/gate/scans'))).toEqual([]);
      const live = await call<{ checkins: unknown[] }>(w.base, 'GET', `/api/gate/checkins?checkpointId=${w.checkpointId}`, cookie);
      expect(live.checkins).toEqual([]);
      expect(foreign).toEqual([]);
      expect(problems).toEqual([]);
    } catch (e) {
      await screenshot(page, 'gate-certificate');
      throw e;
    } finally {
      await context.close();
    }
  });
});
