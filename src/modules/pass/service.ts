/**
 * 我的通行码, the resident's personal pass code (issue 3 §2, SPEC S2): for each person on a phone, a
 * short-lived signed token (type 'pass', PASS_CODE_TTL_S seconds) that the guard's scanner verifies
 * offline. The token carries the person id (`sub`), the masked name (`nm`) and the status code at
 * issue (`st`): never a document number, a phone or an address (SPEC "Personal data"), so a
 * forwarded or photographed code tells nobody who the person is, and stops working within a minute.
 */
import type { AppContext } from '../../context';
import type { Lang } from '../../lib/errors';
import type { DeviceInfo } from '../persons/devices';
import { personsByIds } from '../persons/service';
import { STATUS_LABELS, getStatuses, isPersonStatus, statusColour, type StatusColour } from '../status/service';
import { signToken } from '../tokens/service';

/** One person's code as GET /api/r/pass answers it. */
export interface PassCode {
  personId: string;
  maskedName: string;
  relation: 'self' | 'dependent';
  /** Status code of the person status register at issue, its label in the caller's language and colour. */
  status: string;
  statusLabel: string;
  colour: StatusColour;
  /** Compact JWS; the QR holds exactly this string. */
  token: string;
  expiresAt: Date;
}

/** The claims a pass token carries besides iss/sub/iat/exp (issue 3 contract: nm, st). */
export interface PassClaims {
  /** Masked name, e.g. 张*三 (src/lib/mask.ts maskName). */
  nm: string;
  /** Status code at issue. */
  st: string;
}

/**
 * Sign a fresh pass code for every person bound to `device` ('self' first, then dependents in
 * binding order), each valid PASS_CODE_TTL_S seconds from `now`. Persons that no longer exist are
 * left out. Writes nothing but, on a brand-new server, the first signing key.
 * @returns codes in the device's person order (empty when the device has no persons).
 */
export async function passCodes(ctx: AppContext, device: DeviceInfo, lang: Lang, now = new Date()): Promise<PassCode[]> {
  const ids = device.persons.map((p) => p.id);
  if (ids.length === 0) return [];
  const [info, statuses] = await Promise.all([personsByIds(ctx.db, ids), getStatuses(ctx.db, ids)]);
  const out: PassCode[] = [];
  for (const p of device.persons) {
    const person = info.get(p.id);
    if (!person) continue;
    const st = statuses.get(p.id)?.status ?? 'normal';
    const claims: PassClaims = { nm: person.maskedName, st };
    const signed = await signToken(ctx, 'pass', p.id, ctx.config.PASS_CODE_TTL_S, { ...claims }, { now });
    out.push({
      personId: p.id, maskedName: person.maskedName, relation: p.relation, status: st,
      statusLabel: isPersonStatus(st) ? STATUS_LABELS[st][lang] : st, colour: statusColour(st),
      token: signed.token, expiresAt: signed.expiresAt,
    });
  }
  return out;
}
