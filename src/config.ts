/**
 * Configuration, read once from the environment and validated at boot: a bad value stops the
 * server at start with a message naming the variable, not at 3 a.m. Every threshold the product
 * applies lives here with its unit and its source in the SPEC. See docs/CONFIGURATION.md.
 */
import path from 'node:path';
import { z } from 'zod';

const num = (def: number, min: number, max: number) =>
  z.coerce.number().finite().min(min).max(max).default(def);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** TCP port of the HTTP server. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to listen on. Loopback by default; 0.0.0.0 to reach it from phones on a LAN. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Public base URL printed into QR codes (`PUBLIC_URL/c/<token>`); https in production. */
    PUBLIC_URL: z.string().url().optional(),
    /** Directory of the embedded PGlite database (ignored when DATABASE_URL is set). */
    DATA_DIR: z.string().min(1).default('./data'),
    /** postgres://… selects a PostgreSQL server instead of the embedded database. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    /** Fever threshold in °C: a reading at or above it refuses entry (SPEC "Rules": 37.3 °C). */
    FEVER_THRESHOLD_C: num(37.3, 36.0, 39.0),
    /** Plausible body temperature range in °C; outside it a reading is refused as a typo (SPEC "Rules"). */
    TEMP_MIN_C: num(34.0, 30.0, 36.0),
    TEMP_MAX_C: num(42.5, 40.0, 45.0),
    /** Days a check-in is kept before the purge deletes it (SPEC S1: default 28 days). */
    RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(28),
    /** Seconds within which a repeated scan returns the same check-in instead of a new one (SPEC S1). */
    RESCAN_WINDOW_S: z.coerce.number().int().min(0).max(3600).default(120),
    /**
     * Check-in groups committing at once on a PostgreSQL server (the embedded database, one
     * connection, always has two out: PIPELINE_DEPTH in checkin/writer.ts). Each commit costs the
     * server and the database a fixed few hundred µs of CPU whatever its size, and concurrent
     * commits contend for the same index pages: one lane makes groups of ~30 under load instead
     * of ~8 with four, and measured 5,081-5,637 check-ins/s against 3,732-4,478 with four
     * (docs/STATUS.md, issue 2). More lanes suit a server whose
     * commits wait on a slow disk rather than on CPU. The pool has 10 connections; keep some for
     * everything else.
     */
    CHECKIN_COMMIT_LANES: z.coerce.number().int().min(1).max(8).default(1),
    /** Hours after which a stay with no exit is closed by timeout (SPEC S1 "stays without an exit"). */
    STAY_MAX_HOURS: num(12, 1, 72),
    /** Minutes a fever alert may stay unacknowledged before it escalates to the street (issue 2 §9). */
    FEVER_ESCALATION_MIN: num(10, 1, 240),
    /** Hours a staff session lasts without use. */
    SESSION_IDLE_HOURS: num(12, 1, 168),
    /** Minutes between runs of the scheduled jobs (retention purge, stay timeout, escalation). */
    JOB_INTERVAL_MIN: num(1, 0.05, 1440),
    /**
     * Hour of the China day (0–23) from which the embedded database is vacuumed and analyzed once
     * a day (it has no autovacuum; the run holds its one connection, so a quiet hour). src/modules/system/upkeep.ts.
     */
    DB_UPKEEP_HOUR: z.coerce.number().int().min(0).max(23).default(3),
    // ---- two-way gate (SPEC S2, issue 3) ----
    /** Name put in the `iss` of every signed token (pass codes, cards, checkpoint codes). */
    TOKEN_ISSUER: z.string().min(1).max(100).default('yiqu'),
    /** Days a signing key signs before a new key of its token type replaces it (old keys stay published). */
    SIGNING_KEY_ROTATE_DAYS: num(30, 1, 3650),
    /** Seconds a personal pass code is valid; a photo of it fails after this (SPEC S2). */
    PASS_CODE_TTL_S: z.coerce.number().int().min(10).max(600).default(60),
    /** Seconds between refreshes of the pass code on the resident's screen (issue 3 §2: 30 s). */
    PASS_CODE_REFRESH_S: z.coerce.number().int().min(5).max(300).default(30),
    /** Days a printed personal card code is valid (revocable at any time). */
    CARD_VALID_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
    /** Minutes after a guard found (or registered) a person from the ID card during which they may print that person's card although the person lives outside their area (issue 3 §6). */
    CARD_LOOKUP_WINDOW_MIN: z.coerce.number().int().min(1).max(1440).default(60),
    /** Seconds between changes of a checkpoint's on-screen code in screen mode (issue 3 §5: 30 s). */
    CHECKPOINT_CODE_ROTATE_S: z.coerce.number().int().min(5).max(600).default(30),
    /** Extra seconds an on-screen checkpoint code stays usable after it left the screen (time to fill in the form). */
    CHECKPOINT_CODE_GRACE_S: z.coerce.number().int().min(0).max(600).default(60),
    /** Seconds within which a resident's scan and the guard's scan of the same person at a place are one two-way record. */
    TWO_WAY_WINDOW_S: z.coerce.number().int().min(10).max(3600).default(180),
    /** °C gap between the resident's and the guard's reading above which a two-way record is flagged (issue 3 §3). */
    TWO_WAY_TEMP_GAP_C: num(0.3, 0.1, 2.0),
    /** Days a gate may stay offline with queued scans; retired signing keys stay published this much longer so those scans still verify. */
    OFFLINE_GRACE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** Seconds of gate-device clock error tolerated; beyond it queued scan times are corrected from server time and flagged. */
    CLOCK_SKEW_MAX_S: z.coerce.number().int().min(1).max(86_400).default(120),
    // ---- cases, contacts, tracing, situation report (SPEC S4, S5, issue 4) ----
    /** Days of medical observation after the last exposure (SPEC "Rules": 14 days). */
    OBSERVATION_DAYS: z.coerce.number().int().min(1).max(60).default(14),
    /** Days before symptom onset a trace's look-back window starts (issue 4 §3: 2 days). */
    TRACE_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(28).default(2),
    /** Minutes after the case left a place during which later arrivals still count as overlapping (issue 4 §3: 30). */
    TRACE_MARGIN_MIN: z.coerce.number().int().min(0).max(1440).default(30),
    /** Most people a trace lists (ranked; the rest are counted, not listed). */
    TRACE_MAX_CANDIDATES: z.coerce.number().int().min(10).max(100_000).default(5000),
    /** Days after the last case was cleared before an area is all-clear (SPEC S5: 28, two incubation periods). */
    ALL_CLEAR_DAYS: z.coerce.number().int().min(1).max(120).default(28),
    // ---- community reporting, key persons, door sensors (SPEC S3, issue 5) ----
    /** Days a measure lasts when the arrival rule gives none (issue 5 §1: 14). */
    ARRIVAL_MEASURE_DAYS: z.coerce.number().int().min(1).max(60).default(14),
    /** External MQTT broker (mqtt://host:port); unset: the embedded broker (aedes) starts with the server. */
    MQTT_URL: z.string().regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://').optional(),
    /** TCP port of the embedded broker on HOST; 0 lets the system choose (tests). */
    MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
    /** Topic prefix of door-sensor events: `<prefix>/<device>` (Zigbee2MQTT's default). */
    MQTT_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9_\-/]{1,64}$/, 'letters, digits, _ - /').default('zigbee2mqtt'),
    /** Minutes without any message from a bound sensor before the team is alerted (issue 5 §5). */
    SENSOR_HEARTBEAT_MIN: z.coerce.number().int().min(1).max(1440).default(60),
    /** Seconds a device found unknown or unbound is ignored without a database look-up (a flood of stray messages; binding it ends this at once). */
    SENSOR_UNKNOWN_TTL_S: z.coerce.number().int().min(0).max(3600).default(60),
    /** Battery percentage at or below which the team is alerted to change it. */
    SENSOR_BATTERY_LOW_PCT: z.coerce.number().int().min(1).max(99).default(20),
    /** China time by which the morning / evening observation report is due (twice daily, SPEC S3). */
    OBSERVATION_AM_DUE: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('12:00'),
    OBSERVATION_PM_DUE: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('21:00'),
    // ---- health declaration certificate (SPEC S6, issue 6) ----
    /** Days a certificate is valid from its issue instant (SPEC S6 and "Rules": 5 days). */
    CERT_VALID_DAYS: z.coerce.number().int().min(1).max(30).default(5),
    /** Days of grid residence needed to apply: day 1 is the day after arrival, so possible from start + days + 1 (SPEC "Rules": ≥ 14 days). */
    CERT_RESIDENCE_MIN_DAYS: z.coerce.number().int().min(1).max(60).default(14),
    /**
     * Days a closed health declaration (refused, or its certificate expired or revoked) and its steps
     * and certificate are kept before the retention purge deletes them; an unanswered returned one
     * counts from its last change. Longer than check-ins: a false declaration is evidence.
     */
    DECLARATION_RETENTION_DAYS: z.coerce.number().int().min(7).max(730).default(180),
    /**
     * Days after a measure ends (its key person closed; an arrival's measure over) that its
     * observation reports, its door-sensor events and the arrival's travel details (origin, route,
     * transport) are kept before the retention purge removes them. Default as check-ins (SPEC S1).
     */
    MEASURE_RETENTION_DAYS: z.coerce.number().int().min(7).max(730).default(28),
    /**
     * PEM certificate and key files: when both are set the server itself listens on https (testing
     * the camera and the offline gate from phones on a LAN, `npx yiqu dev-cert`); production puts
     * an https reverse proxy in front instead (docs/CONFIGURATION.md "Running behind https").
     */
    HTTPS_CERT: z.string().min(1).optional(),
    HTTPS_KEY: z.string().min(1).optional(),
    /** pino log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Seed demo places and staff when the database is empty (npm start does). */
    SEED_DEMO: z.enum(['0', '1']).default('1'),
  })
  .refine((c) => !c.HTTPS_CERT === !c.HTTPS_KEY, { path: ['HTTPS_KEY'], message: 'HTTPS_CERT and HTTPS_KEY must be set together' })
  .transform((c) => ({
    ...c,
    PUBLIC_URL: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    DATA_DIR: path.resolve(c.DATA_DIR),
  }));

export type Config = z.infer<typeof schema>;

/** One problem with a setting, in words an operator reads: "must be a number, got "abc"" rather than "received NaN". */
function issueText(issue: z.core.$ZodIssue, given: Record<string, string>): string {
  const key = String(issue.path[0] ?? '');
  if (issue.code === 'invalid_type' && issue.expected === 'number') return `must be a number, got ${JSON.stringify(given[key] ?? '')}`;
  return issue.message;
}

/**
 * Validate `env` (default `process.env`) into a Config.
 * @throws Error listing every invalid variable and why.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.in.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') picked[key] = v; // blank is unset (a blank PORT is not port 0)
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${issueText(i, picked)}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Whether codes printed with `publicUrl` (posters, certificates) can be opened by a resident's
 * phone (LESSONS "Codes that are not links"): 'loopback' for localhost/127.x/::1 (the default
 * when PUBLIC_URL is unset), 'not_https' for plain http (phones and WeChat warn or refuse), null
 * when it is fine.
 */
export function publicUrlProblem(publicUrl: string): 'loopback' | 'not_https' | null {
  const u = new URL(publicUrl);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1') return 'loopback';
  return u.protocol === 'https:' ? null : 'not_https';
}
