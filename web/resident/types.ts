/** Shapes of the resident API answers (issue 2 §6, §8, §11; routes in src/modules/*). */

export interface Area {
  code: string;
  name: string;
}

/** A person registered on this phone, as listed at a checkpoint. */
export interface GatePerson {
  id: string;
  maskedName: string;
  relation: 'self' | 'dependent';
  status: string;
  statusLabel: string;
}

/** GET /api/r/checkpoint/:token */
export interface CheckpointInfo {
  checkpoint: { id: string; name: string; mode: string };
  place: { id: string; name: string; kind: string; kindLabel: string };
  community: Area;
  street: Area;
  district: Area;
  persons: GatePerson[];
}

/** One person's outcome in POST /api/r/checkins. */
export interface CheckinResult {
  personId: string;
  maskedName: string;
  outcome: 'pass' | 'refused';
  reasonCode?: string | null;
  reason?: string | null;
  checkinId: string;
  at: string;
  direction: 'in' | 'out';
  temperature: number | string | null;
  /** A re-scan within the window: this is the earlier check-in, answered again. */
  duplicate?: boolean;
}

/** POST /api/r/checkins answer. */
export interface CheckinAnswer {
  serverTime: string;
  place: { name: string };
  checkpoint: { name: string };
  results: CheckinResult[];
}

/** One person in GET /api/r/me. */
export interface MePerson {
  id: string;
  name: string;
  maskedName: string;
  docType: string;
  docMasked: string;
  relation: 'self' | 'dependent';
  status: { code: string; label: string; reason: string | null; since: string | null };
  statusHistory: Array<{ status: string; label: string; reason: string; roleLabel: string; at: string }>;
  checkins: Array<{ id: string; at: string; placeName: string; checkpointName: string; direction: 'in' | 'out';
    temperature: number | string | null; outcome: 'pass' | 'refused'; refusal: string | null; refusalLabel?: string | null }>;
  reads: Array<{ at: string; actorRoleLabel: string; action: string; actionLabel?: string }>;
}

/** GET /api/r/me */
export interface MeAnswer {
  persons: MePerson[];
  privacy: { purpose: string; retentionDays: number; text: string };
}

/** One person's code in GET /api/r/pass. */
export interface PassPerson {
  personId: string;
  maskedName: string;
  relation: 'self' | 'dependent';
  status: string;
  statusLabel: string;
  colour: 'green' | 'yellow' | 'red';
  /** The signed token the QR holds. */
  token: string;
  expiresAt: string;
}

/** GET /api/r/pass */
export interface PassAnswer {
  serverTime: string;
  refreshInS: number;
  persons: PassPerson[];
}

/** An arrival report as POST /api/r/arrivals answers it (社区报到, issue 5 §1). */
export interface ArrivalView {
  id: string;
  personId: string;
  maskedName: string;
  communityCode: string;
  originCode: string | null;
  originText: string;
  route: string;
  transport: string;
  circumstance: 'work' | 'study' | 'home' | 'other';
  /** China date 'YYYY-MM-DD'. */
  arrivalOn: string;
  measure: 'centralized_isolation' | 'home_isolation' | 'health_monitoring' | 'none';
  measureLabel: string;
  measureDays: number;
  /** Last day of the measure, China date; null when no measure applies. */
  measureUntil: string | null;
}

/** One person of this phone who must report twice daily today (GET /api/r/observations). */
export interface ObservationPerson {
  personId: string;
  maskedName: string;
  keyPersonId: string;
  category: string;
  measure: string;
  day: number;
  of: number | null;
  endOn: string | null;
  todayOn: string;
  /** Today's slots already reported. */
  slots: { am: boolean; pm: boolean };
  /** China time 'HH:MM' by which each slot is due. */
  amDue: string;
  pmDue: string;
}

/** GET /api/r/observations */
export interface ObservationsAnswer {
  persons: ObservationPerson[];
}

/** One stored report in POST /api/r/observations (one per open key-person record of the person). */
export interface ObservationReport {
  reportId: string;
  keyPersonId: string;
  reportOn: string;
  fever: boolean;
  tasks: number;
}
