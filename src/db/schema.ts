/** Row types of every table, for Kysely. Kept in step with src/db/migrations by hand. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string>;

export interface AreasTable { code: string; name: string; level: number; parent_code: string | null }
export interface OrganisationsTable {
  id: Generated<string>; kind: string; name: string; area_code: string; created_at: DefaultTimestamp;
}
export interface StaffTable {
  id: Generated<string>; username: string; display_name: string; role: string; area_code: string;
  org_id: string | null; checkpoint_id: string | null; password_hash: string;
  must_change_password: Generated<boolean>; disabled_at: Timestamp | null; created_at: DefaultTimestamp;
  created_by: string | null;
}
export interface StaffSessionsTable {
  id_hash: string; staff_id: string; created_at: DefaultTimestamp; last_seen_at: DefaultTimestamp;
}
export interface AuditLogTable {
  id: Generated<number>; at: DefaultTimestamp; actor_kind: 'staff' | 'resident' | 'system';
  actor_id: string | null; actor_role: string | null; actor_name: string | null; action: string;
  person_id: string | null; area_code: string | null; detail: Json;
}
export interface ServerSecretsTable { name: string; value: string; created_at: DefaultTimestamp }
export interface PlacesTable {
  id: Generated<string>; community_code: string; name: string; kind: string; address: Generated<string>;
  disabled_at: Timestamp | null; created_at: DefaultTimestamp; created_by: string | null;
}
export interface CheckpointsTable {
  id: Generated<string>; place_id: string; name: string; mode: Generated<'poster' | 'screen'>;
  mode_since: DefaultTimestamp; disabled_at: Timestamp | null; created_at: DefaultTimestamp;
}
export interface CheckpointTokensTable {
  token: string; checkpoint_id: string; issued_at: DefaultTimestamp; revoked_at: Timestamp | null;
}
export interface PersonsTable {
  id: Generated<string>; name: string; doc_type: string; doc_hash: string; doc_number: string;
  doc_masked: string; birth_date: string | null; sex: 'M' | 'F' | null; phone: string | null;
  home_community_code: string | null; address: Generated<string>;
  registered_via: 'self' | 'family' | 'guard' | 'staff'; created_at: DefaultTimestamp;
}
export interface DevicesTable {
  id: Generated<string>; secret_hash: string; created_at: DefaultTimestamp; last_seen_at: DefaultTimestamp;
}
export interface DevicePersonsTable {
  device_id: string; person_id: string; relation: 'self' | 'dependent'; bound_at: DefaultTimestamp;
}
export interface PersonStatusTable { person_id: string; status: string; reason: string; since: DefaultTimestamp }
export interface PersonStatusHistoryTable {
  id: Generated<number>; person_id: string; status: string; previous: string | null; reason: string;
  actor_kind: 'staff' | 'system'; actor_id: string | null; actor_role: string; at: DefaultTimestamp;
}
export interface CheckinsTable {
  id: string; person_id: string; checkpoint_id: string; place_id: string; community_code: string;
  direction: 'in' | 'out'; temperature: number | null; outcome: 'pass' | 'refused'; refusal: string | null;
  source: 'resident' | 'guard'; actor_id: string | null; at: Timestamp;
}
export interface StaysTable {
  id: string; person_id: string; place_id: string; entered_at: Timestamp; entry_checkin_id: string;
  closed_at: Timestamp | null; closed_by: 'exit' | 'other_place' | 'timeout' | null; exit_checkin_id: string | null;
}
export interface FeverAlertsTable {
  id: Generated<string>; checkin_id: string; person_id: string; checkpoint_id: string; community_code: string;
  temperature: number; raised_at: Timestamp; acknowledged_at: Timestamp | null; acknowledged_by: string | null;
  remeasured_temperature: number | null; outcome: 'cleared' | 'referred' | 'escorted_home' | null;
  resolved_at: Timestamp | null; resolved_by: string | null; escalated_at: Timestamp | null;
}
export interface RetentionHoldsTable {
  id: Generated<string>; person_id: string | null; place_id: string | null; from_at: Timestamp; to_at: Timestamp;
  reason: string; created_at: DefaultTimestamp; released_at: Timestamp | null;
  /** 0010: set on holds made by a trace; released when the case closes. */
  case_id: string | null; trace_id: string | null;
}

export interface DB {
  areas: AreasTable;
  organisations: OrganisationsTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  server_secrets: ServerSecretsTable;
  places: PlacesTable;
  checkpoints: CheckpointsTable;
  checkpoint_tokens: CheckpointTokensTable;
  persons: PersonsTable;
  devices: DevicesTable;
  device_persons: DevicePersonsTable;
  person_status: PersonStatusTable;
  person_status_history: PersonStatusHistoryTable;
  checkins: CheckinsTable;
  stays: StaysTable;
  fever_alerts: FeverAlertsTable;
  retention_holds: RetentionHoldsTable;
}

// 0005_rebind_codes (persons module): interface merging keeps this an append.
export interface RebindCodesTable {
  id: Generated<string>; code_hash: string; doc_hash: string; device_id: string; relation: 'self' | 'dependent';
  created_at: DefaultTimestamp; expires_at: Timestamp; used_at: Timestamp | null; used_by: string | null;
}
export interface DB { rebind_codes: RebindCodesTable }

// 0007_signing_keys (tokens module)
export interface SigningKeysTable {
  kid: string; token_type: string; public_jwk: Json; private_jwk: Json; created_at: DefaultTimestamp;
  retired_at: Timestamp | null; publish_until: Timestamp | null;
}
export interface RevokedTokensTable {
  jti: string; token_type: string; revoked_at: DefaultTimestamp; expires_at: Timestamp; reason: string; revoked_by: string | null;
}
export interface DB { signing_keys: SigningKeysTable; revoked_tokens: RevokedTokensTable }

// 0009_person_cards (cards module)
export interface PersonCardsTable {
  id: Generated<string>; person_id: string; issued_by: string; issued_at: DefaultTimestamp; expires_at: Timestamp;
  revoked_at: Timestamp | null; revoked_by: string | null; revoke_reason: string | null;
}
export interface DB { person_cards: PersonCardsTable }

// 0008_gate_scans (gatescan module)
export interface GateScansTable {
  idempotency_key: string; checkpoint_id: string; community_code: string; staff_id: string; person_id: string | null;
  token_type: 'pass' | 'card' | null; token_jti: string | null; direction: 'in' | 'out'; temperature: number | null;
  offline: boolean; local_outcome: 'pass' | 'refused' | null; local_reason: string | null; scanned_at: Timestamp; at: Timestamp;
  skew_s: number; skew_corrected: boolean; status: 'recorded' | 'rejected'; outcome: 'pass' | 'refused';
  reason_code: string | null; reason: ColumnType<{ zh: string; en: string } | null, string | null, string | null>;
  masked_name: string | null; checkin_id: string | null; received_at: DefaultTimestamp;
}
export interface TwoWayChecksTable {
  id: Generated<string>; person_id: string; place_id: string; checkpoint_id: string; community_code: string;
  direction: 'in' | 'out'; guard_checkin_id: string; resident_checkin_id: string; guard_at: Timestamp; resident_at: Timestamp;
  guard_temperature: number | null; resident_temperature: number | null; gap_c: number | null; flagged: boolean;
  linked_at: DefaultTimestamp;
}
export interface DB { gate_scans: GateScansTable; two_way_checks: TwoWayChecksTable }

// 0010_cases_contacts (cases, contacts, tracing, reports modules). Dates are China dates 'YYYY-MM-DD'.
export type CaseStatus = 'suspected' | 'confirmed' | 'discharged' | 'excluded' | 'deceased';
export interface CasesTable {
  id: Generated<string>; number: string; person_id: string; community_code: string; status: CaseStatus;
  hospitalised: boolean; hospital: Generated<string>; onset_on: string | null; isolated_on: string | null;
  classification: 'imported' | 'local'; source_area: string | null; infector_case_id: string | null;
  cluster: string | null; note: Generated<string>; created_at: DefaultTimestamp; created_by: string;
}
export interface CaseEventsTable {
  id: Generated<number>; case_id: string; status: CaseStatus; hospitalised: boolean; hospital: Generated<string>;
  effective_on: string; reason: string; actor_id: string; actor_role: string; recorded_at: DefaultTimestamp;
}
export interface TracesTable {
  id: Generated<string>; case_id: string; subject_person_id: string; subject_contact_id: string | null;
  window_from: Timestamp; window_to: Timestamp; margin_min: number; reason: string; result: Json;
  created_by: string; created_at: DefaultTimestamp;
}
export interface ContactsTable {
  id: Generated<string>; person_id: string; community_code: string; kind: 'close' | 'secondary';
  source_case_id: string | null; source_contact_id: string | null; case_id: string; trace_id: string | null;
  last_exposure_on: string; symptoms_last_on: string | null; computed_end_on: string; override_end_on: string | null;
  end_on: string; traced_on: string; released_on: string | null; released_by: string | null;
  release_reason: string | null; note: Generated<string>; created_at: DefaultTimestamp; created_by: string;
}
export interface ContactEventsTable {
  id: Generated<number>; contact_id: string;
  kind: 'created' | 'exposure_corrected' | 'symptoms' | 'override' | 'override_reverted' | 'released';
  detail: Json; reason: Generated<string>; actor_id: string; actor_role: string; at: DefaultTimestamp;
}
export interface SituationReportsTable {
  id: Generated<string>; area_code: string; report_date: string; revision: number; figures: Json; text_zh: string;
  note: Generated<string>; published_at: DefaultTimestamp; published_by: string;
}
export interface DB {
  cases: CasesTable; case_events: CaseEventsTable; traces: TracesTable; contacts: ContactsTable;
  contact_events: ContactEventsTable; situation_reports: SituationReportsTable;
}

// 0011_community_key_persons (arrivals, keypersons, sensors, households modules).
export type Measure = 'centralized_isolation' | 'home_isolation' | 'health_monitoring';
export type Circumstance = 'work' | 'study' | 'home' | 'other';
export interface BuildingsTable { id: Generated<string>; community_code: string; name: string; created_at: DefaultTimestamp }
export interface HouseholdsTable {
  id: Generated<string>; community_code: string; building_id: string | null; unit: Generated<string>; room: string;
  occupancy: Generated<'occupied' | 'empty' | 'rented'>; tenant_note: Generated<string>; resident_since: string | null; created_at: DefaultTimestamp;
}
export interface HouseholdMembersTable { household_id: string; person_id: string; since: string | null }
export interface ArrivalRulesTable {
  id: Generated<string>; city_code: string; priority: Generated<number>; origin_prefix: string | null; origin_label: string;
  circumstance: Circumstance | null; measure: Measure; days: number; note: Generated<string>; created_at: DefaultTimestamp;
  created_by: string | null; retired_at: Timestamp | null;
}
export interface ArrivalReportsTable {
  id: Generated<string>; person_id: string; community_code: string; household_id: string | null; origin_code: string | null;
  origin_text: string; route: Generated<string>; transport: Generated<string>; circumstance: Circumstance; arrival_on: string;
  reported_via: 'self' | 'staff'; reported_by: string | null; rule_id: string | null; measure: Measure | 'none';
  measure_days: number; measure_until: string | null; created_at: DefaultTimestamp;
  /** When the retention purge removed origin, route and transport (migration 0018); null while kept. */
  details_purged_at: Timestamp | null;
}
export type KeyPersonCategory = 'returnee' | 'fever' | 'close_contact' | 'secondary_contact' | 'home_isolation' | 'centralized_isolation' | 'medical_observation';
export interface KeyPersonsTable {
  id: Generated<string>; person_id: string; community_code: string; category: KeyPersonCategory;
  measure: Measure | 'medical_observation'; start_on: string; end_on: string | null;
  source_kind: 'arrival' | 'contact' | 'fever_alert' | 'manual'; source_id: string | null; household_id: string | null;
  closed_on: string | null; close_reason: string | null; created_at: DefaultTimestamp;
}
export type TeamRole = 'street_cadre' | 'community_worker' | 'doctor' | 'police' | 'counsellor';
export interface CareTeamMembersTable { key_person_id: string; team_role: TeamRole; staff_id: string; assigned_at: DefaultTimestamp }
export type CareTaskKind = 'registration' | 'referral' | 'visit' | 'living_service' | 'fever' | 'missed_report' | 'door_open' | 'sensor_silent' | 'battery_low';
export interface CareTasksTable {
  id: Generated<string>; key_person_id: string; community_code: string; kind: CareTaskKind; assignee_id: string; title: string;
  detail: Json; state: Generated<'open' | 'in_progress' | 'done' | 'cancelled'>; due_at: Timestamp | null; cause_key: string | null;
  created_at: DefaultTimestamp; done_at: Timestamp | null; done_by: string | null; outcome: string | null;
}
export interface ObservationReportsTable {
  id: Generated<string>; key_person_id: string; report_on: string; slot: 'am' | 'pm'; temperature: number | null;
  symptoms: ColumnType<string[], string | undefined, string>; source: 'self' | 'doctor'; staff_id: string | null; reported_at: DefaultTimestamp;
}
export interface DoorSensorsTable {
  id: Generated<string>; device: string; household_id: string; key_person_id: string | null;
  windows: ColumnType<Array<{ from: string; to: string; note?: string }>, string | undefined, string>;
  bound_at: DefaultTimestamp; bound_by: string | null; unbound_at: Timestamp | null; last_seen_at: Timestamp | null;
  battery: number | null; contact: boolean | null;
}
export interface DoorEventsTable {
  id: Generated<number>; sensor_id: string; at: Timestamp; contact: boolean | null; battery: number | null;
  linkquality: number | null; alert: 'door_open' | 'battery_low' | null;
}
export interface ScreeningCampaignsTable {
  id: Generated<string>; community_code: string; name: string; started_on: string; ended_on: string | null;
  created_by: string | null; created_at: DefaultTimestamp;
}
export interface ScreeningVisitsTable {
  campaign_id: string; household_id: string; visited_at: Timestamp; staff_id: string;
  outcome: 'normal' | 'key_person_found' | 'empty' | 'no_answer' | 'refused'; note: Generated<string>;
}
export interface DB {
  buildings: BuildingsTable; households: HouseholdsTable; household_members: HouseholdMembersTable;
  arrival_rules: ArrivalRulesTable; arrival_reports: ArrivalReportsTable; key_persons: KeyPersonsTable;
  care_team_members: CareTeamMembersTable; care_tasks: CareTasksTable; observation_reports: ObservationReportsTable;
  door_sensors: DoorSensorsTable; door_events: DoorEventsTable; screening_campaigns: ScreeningCampaignsTable;
  screening_visits: ScreeningVisitsTable;
}

// 0012_declarations (certificates module): health declaration certificates (SPEC S6, issue 6).
export type DeclarationStateCol = 'submitted' | 'returned' | 'residence_verified' | 'assessed' | 'refused' | 'signed' | 'issued' | 'revoked';
export interface DeclarationsTable {
  id: Generated<string>; person_id: string; community_code: string; state: DeclarationStateCol;
  submitted_via: 'self' | 'staff'; entered_by: string | null; device_id: string | null;
  answers: Json; acknowledged_at: Timestamp; eligibility: Json; return_reason: string | null;
  created_at: DefaultTimestamp; updated_at: DefaultTimestamp;
}
export interface DeclarationStepsTable {
  id: Generated<number>; declaration_id: string;
  action: 'submit' | 'resubmit' | 'verify_residence' | 'return' | 'assess' | 'sign' | 'issue' | 'refuse' | 'revoke';
  from_state: DeclarationStateCol | null; to_state: DeclarationStateCol; actor_kind: 'staff' | 'resident' | 'system';
  actor_id: string | null; actor_role: string; actor_name: string | null; at: DefaultTimestamp; reason: string | null;
  assessment: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
}
export interface CertificatesTable {
  id: Generated<string>; declaration_id: string; person_id: string; org_id: string; doctor_id: string | null;
  chief_doctor_id: string | null; issued_at: Timestamp; not_after: Timestamp; kid: string | null;
  revoked_at: Timestamp | null; revoked_by: string | null; revoke_reason: string | null;
  // 0013_certificate_tokens
  token: string; missing_glyphs: ColumnType<string[], string[] | undefined, string[]>;
}
export interface DB { declarations: DeclarationsTable; declaration_steps: DeclarationStepsTable; certificates: CertificatesTable }

// 0017_closures (gatescan module: offline scans at a gate closed at the time)
export interface ClosuresTable {
  id: Generated<number>; place_id: string; checkpoint_id: string | null; closed_at: Timestamp; reopened_at: Timestamp | null;
}
export interface DB { closures: ClosuresTable }
