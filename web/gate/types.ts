/**
 * Shapes of the server answers the gate page uses (issue 3 contract A, docs in
 * /work/shared contract "HTTP contract between the modules"), and of what it keeps in IndexedDB.
 */
import type { JSONWebKeySet } from 'jose';

export interface Bilingual { zh: string; en: string }
export type Direction = 'in' | 'out';
export type Outcome = 'pass' | 'refused';

/** GET /api/staff/me → staff: the console's type of the account (one definition of that answer). */
export type { Staff } from '../console/src/session';

/** GET /api/gate/sync?checkpointId= : what an offline gate needs to verify and decide. */
export interface SyncData {
  /** ISO time of the server when it answered. */
  serverTime: string;
  issuer: string;
  jwks: JSONWebKeySet;
  revocations: Array<{ jti: string; type: string; revokedAt: string }>;
  /** Every person whose status is not 'normal' (ids only). */
  statuses: Array<{ personId: string; status: string }>;
  /** Status codes that refuse passage. */
  barring: string[];
  statusLabels: Record<string, Bilingual>;
  checkpoint: { id: string; name: string; placeId: string; placeName: string; mode: 'poster' | 'screen' };
  config: {
    feverThresholdC: number; tempMinC: number; tempMaxC: number;
    twoWayTempGapC: number; clockSkewMaxS: number; passCodeTtlS: number;
  };
}

/** A sync as stored on the device, with the clock offset it measured. */
export interface SyncRecord {
  checkpointId: string;
  data: SyncData;
  /** Server time − device time at the sync, ms (device time + offset = corrected time). */
  offsetMs: number;
  /** Device time of the sync, ms since the epoch. */
  syncedAt: number;
}

/** The gate's own decision, sent with a queued scan. */
export interface LocalDecision { outcome: Outcome; reasonCode: string | null }

/** One scan as POST /api/gate/scans takes it. */
export interface ScanIn {
  idempotencyKey: string;
  token: string;
  direction: Direction;
  temperature: number | null;
  /** Device time of the scan (ISO), not corrected: the server corrects a skewed clock. */
  scannedAt: string;
  offline: boolean;
  localDecision: LocalDecision;
}

/** A scan waiting in IndexedDB for the server's answer. */
export interface QueuedScan extends ScanIn {
  checkpointId: string;
  /** For the list on screen only (the token's nm claim). */
  maskedName: string | null;
  /** Device time it was queued, ms. */
  queuedAt: number;
}

/** One result of POST /api/gate/scans. */
export interface ScanResult {
  idempotencyKey: string;
  status: 'recorded' | 'duplicate' | 'rejected';
  outcome: Outcome;
  reasonCode: string | null;
  reason: string | null;
  maskedName: string | null;
  checkinId: string | null;
  at: string | null;
  twoWay: { residentCheckinId: string; residentTemperature: number | null; guardTemperature: number | null; gapC: number | null; flagged: boolean } | null;
}

/** POST /api/gate/scans answer. */
export interface ScansOut {
  serverTime: string;
  skewS: number;
  skewCorrected: boolean;
  results: ScanResult[];
}

/** GET /api/gate/checkpoints/{id}/screen-code answer. */
export interface ScreenCode { url: string; token: string; expiresAt: string; refreshInS: number }
