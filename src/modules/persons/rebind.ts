/**
 * Staff re-binding (issue 2 §6 "otherwise staff re-bind it"). A resident whose registration was
 * refused ('document_bound_elsewhere') asks for a one-time code on that phone; it is tied to the
 * document's hash and this device, lasts REBIND_CODE_TTL_MIN minutes, and only an HMAC of it is
 * stored. The resident shows the code and the ID card to a guard or community worker, who enters
 * the code (POST /api/persons/rebind); the device is bound and the binding audited with the staff
 * member as actor. A 'self' re-bind removes the person's 'self' binding from other devices (the
 * staff member has just verified the card holder: the other phone is lost or was not theirs);
 * bindings as a dependent elsewhere stay.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { AppContext } from '../../context';
import { AppError, badRequest, conflict } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { bindPerson, createDevice, deviceActor, devicePersons, invalidateDevice, type DeviceRelation } from './devices';
import { docHash } from './identity';
import { checkDocument } from './input';
import { MAX_DEPENDENTS } from './residents';

/** Lifetime of a re-binding code, minutes. */
export const REBIND_CODE_TTL_MIN = 15;
/** Digits of a re-binding code. */
export const REBIND_CODE_DIGITS = 6;

const codeHash = (ctx: AppContext, code: string) => createHmac('sha256', ctx.secrets.docPepper).update(`rebind:${code}`).digest('hex');

/**
 * Create a code for this device (POST /api/r/rebind-code); `knownDeviceId` null creates the device
 * in the same transaction. Replaces the device's earlier unused codes. Audited 'rebind.code'.
 * @returns `{code: '123456', expiresAt, cookieValue?}` (cookieValue when a device was created).
 * @throws AppError 400 for an invalid document or 'no_self' (relation 'dependent' needs a 'self'
 *   person on the device), 404 'not_registered' when nobody holds the document (register instead),
 *   409 'already_bound' when it is already bound to this device.
 */
export async function createRebindCode(ctx: AppContext, knownDeviceId: string | null,
  body: { docType: string; docNumber: string; relation?: DeviceRelation }) {
  const d = checkDocument(body.docType, body.docNumber);
  const relation = body.relation ?? 'self';
  const hash = docHash(d.docType, d.docNumber, ctx.secrets.docPepper);
  const person = await ctx.db.selectFrom('persons').select(['id', 'home_community_code']).where('doc_hash', '=', hash).executeTakeFirst();
  if (!person) throw new AppError(404, 'not_registered', { zh: '该证件尚未登记，请直接登记', en: 'This document is not registered yet; please register' });
  const bound = knownDeviceId ? await devicePersons(ctx.db, knownDeviceId) : [];
  if (bound.some((b) => b.id === person.id)) throw conflict('already_bound', '该证件已绑定本机', 'This document is already bound to this phone');
  if (relation === 'dependent' && !bound.some((b) => b.relation === 'self')) {
    throw badRequest('no_self', '请先登记本人信息，再添加同行人员', 'Register yourself first, then add dependents');
  }
  const expiresAt = new Date(Date.now() + REBIND_CODE_TTL_MIN * 60_000);
  return ctx.db.transaction().execute(async (trx) => {
    const created = knownDeviceId ? null : await createDevice(trx);
    const deviceId = knownDeviceId ?? created!.deviceId;
    await trx.deleteFrom('rebind_codes').where('device_id', '=', deviceId).where('used_at', 'is', null).execute();
    for (let attempt = 0; attempt < 10; attempt++) {
      const code = String(randomInt(0, 10 ** REBIND_CODE_DIGITS)).padStart(REBIND_CODE_DIGITS, '0');
      const h = codeHash(ctx, code);
      const clash = await trx.selectFrom('rebind_codes').select('id').where('code_hash', '=', h)
        .where('used_at', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
      if (clash) continue;
      await trx.insertInto('rebind_codes').values({ code_hash: h, doc_hash: hash, device_id: deviceId, relation, expires_at: expiresAt }).execute();
      await audit(trx, deviceActor(deviceId), { action: 'rebind.code', personId: person.id, areaCode: person.home_community_code, detail: { deviceId, relation } });
      return { code, expiresAt, cookieValue: created?.cookieValue };
    }
    throw new Error('could not draw a free re-binding code');
  });
}

/**
 * Redeem a code (POST /api/persons/rebind), after the staff member has checked the ID card.
 * @returns the bound person, masked (name and number, to compare with the card), and relation.
 * @throws AppError 400 'rebind_code_format', 404 'rebind_code_invalid' (unknown, used or expired),
 *   409 'device_has_self' / 'too_many_dependents' when the device can no longer take the binding.
 */
export async function redeemRebindCode(ctx: AppContext, staff: StaffUser, code: string) {
  const c = String(code ?? '').replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${REBIND_CODE_DIGITS}}$`).test(c)) {
    throw badRequest('rebind_code_format', `绑定码应为${REBIND_CODE_DIGITS}位数字`, `The binding code has ${REBIND_CODE_DIGITS} digits`);
  }
  const h = codeHash(ctx, c);
  const out = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('rebind_codes').selectAll().where('code_hash', '=', h).where('used_at', 'is', null)
      .where('expires_at', '>', new Date()).forUpdate().executeTakeFirst();
    if (!row) throw new AppError(404, 'rebind_code_invalid', { zh: '绑定码无效或已过期，请让居民重新获取', en: 'The binding code is invalid or expired; ask the resident for a new one' });
    const person = await trx.selectFrom('persons').select(['id', 'name', 'doc_masked', 'home_community_code'])
      .where('doc_hash', '=', row.doc_hash).executeTakeFirstOrThrow();
    await trx.selectFrom('devices').select('id').where('id', '=', row.device_id).forUpdate().executeTakeFirstOrThrow();
    const bound = await devicePersons(trx, row.device_id);
    const removed: string[] = [];
    if (!bound.some((b) => b.id === person.id)) {
      if (row.relation === 'self') {
        if (bound.some((b) => b.relation === 'self')) throw conflict('device_has_self', '该手机已登记其他本人信息', 'That phone is already registered to another person');
        const others = await trx.deleteFrom('device_persons').where('person_id', '=', person.id).where('relation', '=', 'self')
          .returning('device_id').execute();
        removed.push(...others.map((o) => o.device_id));
      } else if (bound.filter((b) => b.relation === 'dependent').length >= MAX_DEPENDENTS) {
        throw conflict('too_many_dependents', `每部手机最多添加${MAX_DEPENDENTS}名同行人员`, `A phone can carry at most ${MAX_DEPENDENTS} dependents`);
      }
      await bindPerson(trx, row.device_id, person.id, row.relation);
    }
    await trx.updateTable('rebind_codes').set({ used_at: new Date(), used_by: staff.id }).where('id', '=', row.id).execute();
    await audit(trx, staffActor(staff), {
      action: 'device.bind', personId: person.id, areaCode: person.home_community_code,
      detail: { deviceId: row.device_id, relation: row.relation, via: 'staff_rebind', removedSelfFrom: removed.length },
    });
    return { person, relation: row.relation, deviceIds: [row.device_id, ...removed] };
  });
  for (const id of out.deviceIds) invalidateDevice(ctx, id);
  return { id: out.person.id, maskedName: maskName(out.person.name), docMasked: out.person.doc_masked, relation: out.relation };
}
