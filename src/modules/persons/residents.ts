/**
 * What a resident does from their phone (issue 2 §6): register themself, add and remove dependents
 * (同行人员: an elderly parent, a child who check in together).
 *
 * Binding rule: a document already registered binds this device only when the phone number and
 * the name given match the stored ones (audited 'device.bind', via 'phone_match'), within a budget
 * of failed attempts per document and per client IP (bind-attempts.ts, 429); otherwise 409
 * 'document_bound_elsewhere' and staff re-bind it after checking the ID card (rebind.ts). Every
 * binding and unbinding is audited with the device as actor. All changes are one transaction.
 */
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors';
import { maskName } from '../../lib/mask';
import { audit } from '../audit/audit';
import { bindPerson, createDevice, deviceActor, devicePersons, invalidateDevice, unbindPerson, type DeviceRelation } from './devices';
import { checkBindBudget, recordBindFailure } from './bind-attempts';
import { docHash } from './identity';
import { validatePersonInput, type PersonBody } from './input';
import { findByDocHash, registerPerson } from './service';

/** Most dependents one device may carry. */
export const MAX_DEPENDENTS = 8;

export const BOUND_ELSEWHERE_MESSAGE = {
  zh: '该证件已在其他手机登记。如需在本机使用，请携带证件到社区或卡点由工作人员核实后绑定。',
  en: 'This document is registered on another phone. To use it on this phone, bring the document to your community or a checkpoint so staff can verify it and bind this phone.',
};
const NO_PHONE_ON_RECORD = {
  zh: '该证件已由工作人员登记。如需在本机使用，请携带证件到社区或卡点由工作人员核实后绑定。',
  en: 'This document was registered by staff. To use it on this phone, bring the document to your community or a checkpoint so staff can verify it and bind this phone.',
};

export interface BoundPerson {
  id: string;
  maskedName: string;
  relation: DeviceRelation;
}

/** Result of a binding request: `created` true answers 201, false (already bound here) 200. */
export interface BindResult {
  person: BoundPerson;
  created: boolean;
}

/** registerSelf's result; `cookieValue` is set when a device was created for this request. */
export interface SelfResult extends BindResult {
  deviceId: string;
  cookieValue?: string;
}

/** Lock the device row so concurrent requests of one phone bind one at a time. */
async function lockDevice(trx: Transaction<DB>, deviceId: string) {
  await trx.selectFrom('devices').select('id').where('id', '=', deviceId).forUpdate().executeTakeFirstOrThrow();
}

/**
 * The binding rule for a document registered before: the phone and the name given must both be
 * the stored ones (one answer for either mismatch, so it does not say which), within the budget
 * of failed attempts per document and per client (bind-attempts.ts).
 * @throws AppError 409 'document_bound_elsewhere' when they do not match, 429 'bind_attempts'.
 */
function requireMatch(ctx: AppContext, existing: { phone: string | null; name: string }, input: { phone: string | null; name: string },
  hash: string, client: string) {
  const keys = [`doc:${hash}`, `ip:${client}`];
  checkBindBudget(ctx, keys);
  if (existing.phone && existing.phone === input.phone && existing.name === input.name) return;
  recordBindFailure(ctx, keys); // a refusal also says "registered": the client's budget counts it
  throw new AppError(409, 'document_bound_elsewhere', existing.phone ? BOUND_ELSEWHERE_MESSAGE : NO_PHONE_ON_RECORD);
}

async function bindAudited(trx: Transaction<DB>, deviceId: string, person: { id: string; home_community_code?: string | null },
  relation: DeviceRelation, via: string) {
  await bindPerson(trx, deviceId, person.id, relation);
  await audit(trx, deviceActor(deviceId), {
    action: 'device.bind', personId: person.id, areaCode: person.home_community_code ?? null,
    detail: { deviceId, relation, via },
  });
}

/**
 * Register the device's own person (POST /api/r/register); `knownDeviceId` null creates the device
 * in the same transaction (a refusal leaves no device behind). New document → person created and
 * bound as 'self' (201). Document already bound to this device as 'self' → 200, nothing changed.
 * Document registered elsewhere → bound when the phone and name match (201), else 409.
 * `client` is the request's IP (the failed-attempt budget).
 * @throws AppError 400 for invalid input; 409 'device_has_self' when this device already carries
 *   another person as 'self', 'already_dependent' when the document is a dependent here,
 *   'document_bound_elsewhere' per the binding rule; 429 'bind_attempts'.
 */
export async function registerSelf(ctx: AppContext, knownDeviceId: string | null, body: PersonBody, client: string): Promise<SelfResult> {
  const input = await validatePersonInput(ctx.db, body, { phoneRequired: true });
  const hash = docHash(input.docType, input.docNumber, ctx.secrets.docPepper);
  let deviceId = knownDeviceId ?? '';
  let cookieValue: string | undefined;
  const result = await ctx.db.transaction().execute(async (trx): Promise<BindResult> => {
    if (knownDeviceId) await lockDevice(trx, deviceId);
    else ({ deviceId, cookieValue } = await createDevice(trx)); // rolled back with a refusal
    const bound = await devicePersons(trx, deviceId);
    let existing = await findByDocHash(trx, hash);
    const here = existing && bound.find((b) => b.id === existing!.id);
    if (existing && here) {
      if (here.relation === 'self') return { person: { id: existing.id, maskedName: maskName(existing.name), relation: 'self' }, created: false };
      throw conflict('already_dependent', '该证件已作为同行人员登记在本机', 'This document is already a dependent on this phone');
    }
    if (bound.some((b) => b.relation === 'self')) {
      throw conflict('device_has_self', '本机已登记本人信息。为家人登记请使用“添加同行人员”。',
        'This phone is already registered to a person. To register a family member, add them as a dependent.');
    }
    if (!existing) {
      const reg = await registerPerson(ctx, input, 'self', deviceActor(deviceId), trx);
      if (reg.created) {
        await bindAudited(trx, deviceId, { id: reg.id, home_community_code: input.communityCode }, 'self', 'register');
        return { person: { id: reg.id, maskedName: reg.maskedName, relation: 'self' }, created: true };
      }
      existing = await findByDocHash(trx, hash); // registered concurrently: the binding rule applies
    }
    requireMatch(ctx, existing!, input, hash, client);
    await bindAudited(trx, deviceId, existing!, 'self', 'phone_match');
    return { person: { id: existing!.id, maskedName: maskName(existing!.name), relation: 'self' }, created: true };
  });
  invalidateDevice(ctx, deviceId);
  return { ...result, deviceId, cookieValue };
}

/**
 * Add a dependent to a device that has its 'self' person (POST /api/r/dependents). A new document
 * is registered (via 'family', phone optional) and bound; one already bound here as a dependent
 * answers 200; one registered elsewhere binds only when the given phone and name match the stored
 * ones. `client` is the request's IP (the failed-attempt budget).
 * @throws AppError 400 'no_self' when the device has no 'self' person yet, 400 for invalid input,
 *   409 'is_self', 'too_many_dependents' (MAX_DEPENDENTS), 'document_bound_elsewhere'; 429 'bind_attempts'.
 */
export async function addDependent(ctx: AppContext, deviceId: string, body: PersonBody, client: string): Promise<BindResult> {
  const input = await validatePersonInput(ctx.db, body, { phoneRequired: false });
  const hash = docHash(input.docType, input.docNumber, ctx.secrets.docPepper);
  const result = await ctx.db.transaction().execute(async (trx): Promise<BindResult> => {
    await lockDevice(trx, deviceId);
    const bound = await devicePersons(trx, deviceId);
    if (!bound.some((b) => b.relation === 'self')) {
      throw badRequest('no_self', '请先登记本人信息，再添加同行人员', 'Register yourself first, then add dependents');
    }
    let existing = await findByDocHash(trx, hash);
    const here = existing && bound.find((b) => b.id === existing!.id);
    if (existing && here) {
      if (here.relation === 'dependent') return { person: { id: existing.id, maskedName: maskName(existing.name), relation: 'dependent' }, created: false };
      throw conflict('is_self', '这是本机登记的本人证件，无需添加为同行人员', 'This is your own document; it cannot be added as a dependent');
    }
    if (bound.filter((b) => b.relation === 'dependent').length >= MAX_DEPENDENTS) {
      throw conflict('too_many_dependents', `每部手机最多添加${MAX_DEPENDENTS}名同行人员`,
        `A phone can carry at most ${MAX_DEPENDENTS} dependents`);
    }
    if (!existing) {
      const reg = await registerPerson(ctx, input, 'family', deviceActor(deviceId), trx);
      if (reg.created) {
        await bindAudited(trx, deviceId, { id: reg.id, home_community_code: input.communityCode }, 'dependent', 'register');
        return { person: { id: reg.id, maskedName: reg.maskedName, relation: 'dependent' }, created: true };
      }
      existing = await findByDocHash(trx, hash);
    }
    requireMatch(ctx, existing!, input, hash, client);
    await bindAudited(trx, deviceId, existing!, 'dependent', 'phone_match');
    return { person: { id: existing!.id, maskedName: maskName(existing!.name), relation: 'dependent' }, created: true };
  });
  invalidateDevice(ctx, deviceId);
  return result;
}

/**
 * Unbind a dependent from this device (DELETE /api/r/dependents/:personId). The person's record
 * stays; only the binding goes. Audited 'device.unbind'.
 * @throws AppError 404 when the person is not a dependent of this device.
 */
export async function removeDependent(ctx: AppContext, deviceId: string, personId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockDevice(trx, deviceId);
    const bound = await devicePersons(trx, deviceId);
    if (!bound.some((b) => b.id === personId && b.relation === 'dependent')) {
      throw notFound('本机没有该同行人员', 'No such dependent on this phone');
    }
    await unbindPerson(trx, deviceId, personId);
    await audit(trx, deviceActor(deviceId), { action: 'device.unbind', personId, detail: { deviceId, relation: 'dependent' } });
  });
  invalidateDevice(ctx, deviceId);
}
