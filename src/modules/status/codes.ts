/**
 * The person status codes and their colours: pure data, shared by the server and the browser pages
 * (the gate page's offline judgement, the console's tags), so the mapping lives in one place.
 */
/** Every status a person can have, from free movement to a confirmed case. */
export const PERSON_STATUSES = ['normal', 'fever_pending', 'medical_observation', 'home_isolation',
  'centralized_isolation', 'case'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** Colour a status is shown in (pass code band, cards, console tags). */
export type StatusColour = 'green' | 'yellow' | 'red';

/**
 * The one colour mapping of the register (issue 3 §2): green for free movement, yellow for a fever
 * awaiting the guard's re-measurement (bars until cleared, issue 2 §9), red for the statuses that
 * bar movement for days (observation, isolation, case).
 */
export const STATUS_COLOURS: Readonly<Record<PersonStatus, StatusColour>> = {
  normal: 'green',
  fever_pending: 'yellow',
  medical_observation: 'red',
  home_isolation: 'red',
  centralized_isolation: 'red',
  case: 'red',
};

/** Colour of `status`; an unknown code is red (refuse rather than wave through). */
export function statusColour(status: string): StatusColour {
  return STATUS_COLOURS[status as PersonStatus] ?? 'red';
}

/** Strictness of a person status, to never relax a stricter one (a case stays a case). */
export const STATUS_RANK: Readonly<Record<PersonStatus, number>> = {
  normal: 0, fever_pending: 1, medical_observation: 2, home_isolation: 3, centralized_isolation: 4, case: 5,
};

/**
 * The person status a key person's measure sets (SPEC S3): isolation and medical observation bar
 * movement; health monitoring (and no measure) does not.
 */
export function statusOfMeasure(measure: string): PersonStatus | null {
  return measure === 'home_isolation' || measure === 'centralized_isolation' || measure === 'medical_observation' ? measure : null;
}
