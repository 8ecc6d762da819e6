/**
 * Test persons and devices.
 * - `validResidentId(over)` → a GB 11643-valid 18-digit resident ID (region 410811 山阳区 by default,
 *   a distinct birth date / sequence on every call).
 * - `buildPerson(ctx, over)` inserts a person directly (hash, mask, birth date and sex as the real
 *   registration stores them) and optionally a status row; returns the row plus the clear number.
 * - `registerDevice(t, over)` registers through the real route `POST /api/r/register` and returns
 *   the device cookie (`yiqu_device=…`) with the person it registered.
 */
import type { AppContext } from '../../../src/context';
import { docHash, gb11643CheckChar, validateDocument, type DocType } from '../../../src/modules/persons/identity';
import { maskDocNumber } from '../../../src/lib/mask';
import { cookieFrom, type TestApp } from '../app';

let n = 0;
const runSalt = Math.floor(Math.random() * 500);

/** A valid resident ID number; each call differs. `region` is a 6-digit county code. */
export function validResidentId(over: { region?: string; birth?: string /* YYYYMMDD */; sex?: 'M' | 'F' } = {}): string {
  n += 1;
  const k = n + runSalt * 1000;
  let birth = over.birth;
  if (!birth) {
    const d = new Date(Date.UTC(1950, 0, 1) + (k % 20000) * 86_400_000);
    birth = d.toISOString().slice(0, 10).replace(/-/g, '');
  }
  let seq = Math.floor(k / 20000) * 2 + (k % 7) * 100 + 10; // varies, stays < 1000 for k < 2e6
  if (over.sex) seq = seq - (seq % 2) + (over.sex === 'M' ? 1 : 0);
  const body = `${over.region ?? '410811'}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return body + gb11643CheckChar(body);
}

/** A mainland mobile number; each call differs. */
export function testPhone(): string {
  n += 1;
  return `139${String((n + runSalt * 100_000) % 100_000_000).padStart(8, '0')}`;
}

export interface BuiltPerson {
  id: string;
  name: string;
  docType: DocType;
  docNumber: string;
  phone: string | null;
  homeCommunityCode: string;
}

/**
 * Insert a person directly (no route, no audit). Defaults: a fresh valid resident ID, name 张测试,
 * a fresh phone, home community 410811001001, address '1号楼1单元101'. `status` (with `reason`)
 * also writes a person_status row (no history row: use setStatus for that).
 */
export async function buildPerson(
  ctx: AppContext,
  over: {
    name?: string; docType?: DocType; docNumber?: string; phone?: string | null; homeCommunityCode?: string;
    address?: string; registeredVia?: 'self' | 'family' | 'guard' | 'staff'; status?: string; reason?: string;
  } = {},
): Promise<BuiltPerson> {
  const docType = over.docType ?? 'resident_id';
  const v = validateDocument(docType, over.docNumber ?? validResidentId());
  if (!v.ok) throw new Error(`buildPerson: invalid document: ${v.message.en}`);
  const name = over.name ?? '张测试';
  const phone = over.phone === undefined ? testPhone() : over.phone;
  const homeCommunityCode = over.homeCommunityCode ?? '410811001001';
  const row = await ctx.db
    .insertInto('persons')
    .values({
      name,
      doc_type: docType,
      doc_hash: docHash(docType, v.number, ctx.secrets.docPepper),
      doc_number: v.number,
      doc_masked: maskDocNumber(v.number),
      birth_date: v.birthDate ?? null,
      sex: v.sex ?? null,
      phone,
      home_community_code: homeCommunityCode,
      address: over.address ?? '1号楼1单元101',
      registered_via: over.registeredVia ?? 'self',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (over.status && over.status !== 'normal') {
    await ctx.db.insertInto('person_status')
      .values({ person_id: row.id, status: over.status, reason: over.reason ?? '测试' })
      .execute();
  }
  return { id: row.id, name, docType, docNumber: v.number, phone, homeCommunityCode };
}

export interface RegisteredDevice {
  /** Cookie header value to send: `yiqu_device=<id>.<secret>`. */
  cookie: string;
  personId: string;
  name: string;
  docNumber: string;
  phone: string;
}

/**
 * Register a resident through `POST /api/r/register` on a fresh device (or on `over.cookie`).
 * @throws Error when the route does not answer 201/200.
 */
export async function registerDevice(
  t: TestApp,
  over: { name?: string; docNumber?: string; phone?: string; communityCode?: string; address?: string; cookie?: string } = {},
): Promise<RegisteredDevice> {
  const payload = {
    name: over.name ?? '李登记',
    docType: 'resident_id',
    docNumber: over.docNumber ?? validResidentId(),
    phone: over.phone ?? testPhone(),
    communityCode: over.communityCode ?? '410811001001',
    address: over.address ?? '2号楼3单元502',
  };
  const res = await t.app.inject({
    method: 'POST', url: '/api/r/register', payload, headers: over.cookie ? { cookie: over.cookie } : {},
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`register failed ${res.statusCode}: ${res.body}`);
  const cookie = cookieFrom(res) || over.cookie || '';
  return { cookie, personId: res.json().person.id, name: payload.name, docNumber: payload.docNumber, phone: payload.phone };
}
