/**
 * The gate's decision for one person, as a pure function: who passes, who is refused and why.
 * Sources: SPEC S1 (fever ≥ threshold refuses entry and alerts), issue 2 §7 (statuses that bar
 * movement are refused at every gate, in either direction, with the reason).
 */
import type { Bilingual } from '../../lib/errors';
import { isFever, type TemperatureRules } from './temperature';

export type Direction = 'in' | 'out';
export type Outcome = 'pass' | 'refused';

export interface PersonAtGate {
  status: string; // person status register code
  statusLabel: Bilingual;
  statusReason: string;
}

export interface GateDecision {
  outcome: Outcome;
  /** 'status_barred' | 'fever' when refused. */
  refusal: string | null;
  reason: Bilingual | null;
  /**
   * A fever reading on entry: raise an alert (SPEC S1: at once, whoever it is). With the refusal
   * 'fever' the person is also set "fever pending"; a barring status (a case, isolation) stays.
   */
  fever: boolean;
}

/**
 * Decide one person's passage.
 * @param barring statuses that bar movement (BARRING_STATUSES of the status module)
 * @param temperature °C, required for 'in', ignored for 'out'
 */
export function decide(
  person: PersonAtGate,
  direction: Direction,
  temperature: number | null,
  barring: readonly string[],
  rules: TemperatureRules,
): GateDecision {
  if (barring.includes(person.status)) {
    const why = person.statusReason ? `（${person.statusReason}）` : '';
    return {
      outcome: 'refused',
      refusal: 'status_barred',
      reason: {
        zh: `${person.statusLabel.zh}${why}，请配合工作人员处置`,
        en: `${person.statusLabel.en}${person.statusReason ? ` (${person.statusReason})` : ''}: please wait for the staff`,
      },
      // a person already "fever pending" has an alert open for that fever: no second one
      fever: person.status !== 'fever_pending' && direction === 'in' && temperature !== null && isFever(temperature, rules),
    };
  }
  if (direction === 'in' && temperature !== null && isFever(temperature, rules)) {
    return {
      outcome: 'refused',
      refusal: 'fever',
      reason: {
        zh: `体温 ${temperature.toFixed(1)}℃，达到发热标准（≥${rules.FEVER_THRESHOLD_C}℃），请在原地等候工作人员复测`,
        en: `Temperature ${temperature.toFixed(1)} °C is a fever (≥ ${rules.FEVER_THRESHOLD_C} °C): please wait for a re-measure`,
      },
      fever: true,
    };
  }
  return { outcome: 'pass', refusal: null, reason: null, fever: false };
}

/** A decision made before the check-in service runs (CheckInRequest.preset). */
export interface PresetDecision {
  outcome: Outcome;
  refusal: string | null;
  reason: Bilingual | null;
}

/** True for the refusal codes of a signed token (tokens/verify-core.ts: token_expired, token_revoked, …). */
export function isTokenRefusal(code: string | null | undefined): boolean {
  return typeof code === 'string' && code.startsWith('token_');
}

/**
 * The gate decision for a check-in decided elsewhere (issue 3 §4), the one rule for presets:
 * - what an offline gate decided is recorded as it happened (the gatescan module passes a preset
 *   'pass' only for a token the server verified too: nothing is a pass unless its token verified);
 * - a refused token is a refusal of that person with the token's reason;
 * - a fever refusal on entry raises the alert and sets "fever pending" exactly as `decide` does
 *   (the reading is a fact, whoever decided).
 * Re-scan handling of token refusals is in the check-in service (they neither are nor make duplicates).
 */
export function presetDecision(p: PresetDecision, direction: Direction): GateDecision {
  if (p.outcome === 'pass') return { outcome: 'pass', refusal: null, reason: null, fever: false };
  return { outcome: 'refused', refusal: p.refusal, reason: p.reason, fever: direction === 'in' && p.refusal === 'fever' };
}

/** An open stay: a person inside a place since an entry (SPEC S1 "entering a new place closes the open stay"). */
export interface OpenStay {
  id: string;
  placeId: string;
  enteredAt: Date;
}

export interface StayChange {
  /** Close this stay now, and why. */
  close?: { id: string; closedBy: 'exit' | 'other_place'; at: Date; exitCheckinId: string | null };
  /** The open stay after this check-in (undefined: none open). */
  open?: OpenStay;
  /** True when `open` is a new stay to insert. */
  opened: boolean;
}

/**
 * How a passed check-in changes the person's open stay. A stay is per place, any gate: an entry at
 * the place already open keeps that stay; an entry elsewhere closes it ('other_place') and opens a
 * new one; an exit closes the open stay at this place ('exit') or, elsewhere, closes it as
 * 'other_place' (they evidently left). A check-in older than the open stay's entry changes nothing.
 */
export function stayChange(
  current: OpenStay | undefined,
  c: { id: string; placeId: string; direction: Direction; at: Date; newStayId: string },
): StayChange {
  // a check-in dated before the open stay began (a queued offline record arriving late) leaves it alone
  if (current && c.at.getTime() < current.enteredAt.getTime()) return { open: current, opened: false };
  if (c.direction === 'in') {
    if (current && current.placeId === c.placeId) return { open: current, opened: false };
    const open = { id: c.newStayId, placeId: c.placeId, enteredAt: c.at };
    return current
      ? { close: { id: current.id, closedBy: 'other_place', at: c.at, exitCheckinId: null }, open, opened: true }
      : { open, opened: true };
  }
  if (!current) return { opened: false };
  const here = current.placeId === c.placeId;
  return { close: { id: current.id, closedBy: here ? 'exit' : 'other_place', at: c.at, exitCheckinId: here ? c.id : null }, opened: false };
}
