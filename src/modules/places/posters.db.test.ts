import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app';
import { buildCheckpoint, buildPlace } from '../../../test/helpers/factories/places';
import { buildStaff, signInAs } from '../../../test/helpers/factories/staff';
import { hasCommand, requireSystem } from '../../../test/helpers/system';
import { postersCommand } from '../../cli/posters';

const pdfinfo = requireSystem('poppler-utils (pdfinfo)', hasCommand('pdfinfo'));
const STREET = '410811003'; // 百间房街道: 富康社区 …001, 凤凰社区 …002
const RARE = '\u{F0041}'; // a private-use character no font draws

function pages(pdf: Buffer, dir: string): number {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(out)![1]);
}

describe.runIf(pdfinfo)('checkpoint posters', { timeout: 60_000 }, () => {
  let t: TestApp;
  let cookie: string;
  let dir: string;
  let rareCheckpoint: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'yiqu-posters-'));
    cookie = await signInAs(t, await buildStaff(t.ctx, { role: 'street_office', areaCode: STREET }));
    const a = await buildPlace(t.ctx, { communityCode: `${STREET}001`, name: '富康小区' });
    await buildCheckpoint(t.ctx, a.id, { name: '东门' });
    await buildCheckpoint(t.ctx, a.id, { name: '西门', disabled: true }); // not printed
    await buildCheckpoint(t.ctx, a.id, { name: '北门', mode: 'screen' }); // screen mode: a poster would be refused, not printed
    const b = await buildPlace(t.ctx, { communityCode: `${STREET}002`, name: `凤凰${RARE}超市`, kind: 'supermarket' });
    rareCheckpoint = (await buildCheckpoint(t.ctx, b.id, { name: '正门' })).checkpoint.id;
    const off = await buildPlace(t.ctx, { communityCode: `${STREET}002`, name: '停业商场', kind: 'mall', disabled: true });
    await buildCheckpoint(t.ctx, off.id, { name: '南门' }); // place disabled: not printed
    await buildPlace(t.ctx, { communityCode: '410811004001', name: '别的街道小区' }).then((p) => buildCheckpoint(t.ctx, p.id));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('downloads one page per active checkpoint under the area, audited as an export', async () => {
    const res = await t.app.inject({ url: `/api/posters?areaCode=${STREET}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="yiqu-posters-${STREET}.pdf"`);
    expect(res.headers['x-yiqu-poster-count']).toBe('2');
    expect(res.headers['x-yiqu-missing-glyphs']).toBe('U+F0041');
    expect(pages(res.rawPayload, dir)).toBe(2);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'posters.export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ area_code: STREET, actor_kind: 'staff', actor_role: 'street_office' });
    expect(audit[0]!.detail).toMatchObject({ checkpoints: 2, missing: [RARE] });
    const one = await t.app.inject({ url: `/api/posters?areaCode=${STREET}001`, headers: { cookie } });
    expect(pages(one.rawPayload, dir)).toBe(1);
  });

  it('reports undrawable characters before printing', async () => {
    const res = await t.app.inject({ url: `/api/posters/check?areaCode=${STREET}`, headers: { cookie } });
    expect(res.json()).toMatchObject({ checkpoints: 2, screenMode: 1, missing: [{ checkpointId: rareCheckpoint, checkpointName: '正门', chars: [RARE] }],
      publicUrl: 'https://yiqu.test', publicUrlProblem: null });
  });

  it('refuses areas outside the scope (403), empty areas (404), other roles (403) and bad codes (400)', async () => {
    const before = await t.ctx.db.selectFrom('audit_log').select('id').execute();
    expect((await t.app.inject({ url: '/api/posters?areaCode=410811004', headers: { cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/posters?areaCode=410811', headers: { cookie } })).statusCode).toBe(403);
    const empty = await t.app.inject({ url: `/api/posters?areaCode=${STREET}002001`, headers: { cookie } });
    expect(empty.statusCode).toBe(400); // 15 digits: not an area code
    const none = await t.app.inject({ url: '/api/posters?areaCode=410811003002', headers: { cookie: await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811003002' })) } });
    expect(none.statusCode).toBe(200); // 凤凰社区 has one active checkpoint
    const guard = await signInAs(t, await buildStaff(t.ctx, { role: 'guard', areaCode: `${STREET}001` }));
    expect((await t.app.inject({ url: `/api/posters?areaCode=${STREET}001`, headers: { cookie: guard } })).statusCode).toBe(403);
    const worker = await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811004002' }));
    const nothing = await t.app.inject({ url: '/api/posters?areaCode=410811004002', headers: { cookie: worker } });
    expect(nothing.statusCode).toBe(404);
    expect(nothing.json().error.message).toBe('该区域下没有启用的卡点');
    const screenOnly = await buildPlace(t.ctx, { communityCode: '410811004003', name: '屏幕码小区' });
    await buildCheckpoint(t.ctx, screenOnly.id, { name: '东门', mode: 'screen' });
    const screens = await t.app.inject({ url: '/api/posters?areaCode=410811004003',
      headers: { cookie: await signInAs(t, await buildStaff(t.ctx, { role: 'community_worker', areaCode: '410811004003' })) } });
    expect([screens.statusCode, screens.json().error.message]).toEqual([404, '该区域下启用的卡点都在使用屏幕动态码，不需要海报']);
    expect((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'posters.export').execute()).length).toBe(before.length + 1);
  });

  it('the CLI core writes the PDF and reports the characters printed as □', async () => {
    const out = path.join(dir, 'cli.pdf');
    const lines: string[] = [];
    const r = await postersCommand(t.ctx, { area: STREET, out, progress: false }, (l) => lines.push(l));
    expect(r.pages).toBe(2);
    expect(pages(readFileSync(out), dir)).toBe(2);
    expect(existsSync(`${out}.${process.pid}.tmp`)).toBe(false);
    expect(lines).toContain('1 checkpoint(s) in screen mode get no poster (a poster is refused there while the mode lasts)');
    expect(lines.join('\n')).toContain(`WARNING: 1 character(s) could not be drawn and print as □ on 1 poster(s): ${RARE} (U+F0041)`);
    expect(lines.join('\n')).not.toContain('QR codes open');
    // printed with the default PUBLIC_URL (a loopback address): said, so nobody hangs posters no phone opens
    const local: string[] = [];
    await postersCommand({ ...t.ctx, config: { ...t.ctx.config, PUBLIC_URL: 'http://localhost:3000' } }, { area: `${STREET}001`, out, progress: false }, (l) => local.push(l));
    expect(local).toContain('WARNING: the QR codes open http://localhost:3000/c/…, which no phone can open: run this with the PUBLIC_URL the server has (its public https address), then print again.');
    await expect(postersCommand(t.ctx, { area: '410811004002', out, progress: false }, () => undefined)).rejects.toThrow(/no active checkpoints/);
    await expect(postersCommand(t.ctx, { area: '999999', out, progress: false }, () => undefined)).rejects.toThrow(/unknown area/);
  });
});
