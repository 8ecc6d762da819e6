-- Community reporting, key persons under five-for-one care, observation reports, door sensors and
-- household screening (SPEC S3; issue 5). Day facts are China dates (`date`); instants timestamptz.

-- Buildings and households of a community (排查: occupied, empty, rented; who lives there since when).
CREATE TABLE buildings (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_code text NOT NULL REFERENCES areas(code),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),     -- e.g. 3号楼
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_code, name)
);
CREATE TABLE households (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_code text NOT NULL REFERENCES areas(code),
  building_id    uuid REFERENCES buildings(id),
  unit           text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),     -- 单元
  room           text NOT NULL CHECK (length(room) BETWEEN 1 AND 20),    -- 门牌 e.g. 301
  occupancy      text NOT NULL DEFAULT 'occupied' CHECK (occupancy IN ('occupied', 'empty', 'rented')),
  tenant_note    text NOT NULL DEFAULT '' CHECK (length(tenant_note) <= 200),  -- rented: tenant details
  resident_since date,                                                   -- the household's residence start
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX households_address_uniq ON households (building_id, unit, room) WHERE building_id IS NOT NULL;
CREATE INDEX households_community_idx ON households (community_code text_pattern_ops);
CREATE TABLE household_members (
  household_id uuid NOT NULL REFERENCES households(id),
  person_id    uuid NOT NULL REFERENCES persons(id),
  since        date,
  PRIMARY KEY (household_id, person_id)
);
CREATE INDEX household_members_person_idx ON household_members (person_id);

-- The city's arrival rule table: origin (an area-code prefix or a free-text origin) and
-- circumstances → measure and duration. Higher priority wins; a rule is never edited in place:
-- a change is a new rule row and the old one is retired (so a report keeps the rule it got).
CREATE TABLE arrival_rules (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code     text NOT NULL REFERENCES areas(code),
  priority      integer NOT NULL DEFAULT 0,
  origin_prefix text CHECK (origin_prefix IS NULL OR origin_prefix ~ '^[0-9]{2,12}$'),  -- e.g. 4201 (武汉市)
  origin_label  text NOT NULL CHECK (length(origin_label) BETWEEN 1 AND 60),             -- e.g. 湖北武汉
  circumstance  text CHECK (circumstance IS NULL OR circumstance IN ('work', 'study', 'home', 'other')),
  measure       text NOT NULL CHECK (measure IN ('centralized_isolation', 'home_isolation', 'health_monitoring')),
  days          integer NOT NULL CHECK (days BETWEEN 0 AND 60),
  note          text NOT NULL DEFAULT '' CHECK (length(note) <= 300),   -- the notice it comes from
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES staff(id),
  retired_at    timestamptz
);
CREATE INDEX arrival_rules_city_idx ON arrival_rules (city_code) WHERE retired_at IS NULL;

-- 社区报到: a person arriving or returning reports (or staff enter it).
CREATE TABLE arrival_reports (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id      uuid NOT NULL REFERENCES persons(id),
  community_code text NOT NULL REFERENCES areas(code),                 -- destination community
  household_id   uuid REFERENCES households(id),
  origin_code    text CHECK (origin_code IS NULL OR origin_code ~ '^[0-9]{2,12}$'),
  origin_text    text NOT NULL CHECK (length(origin_text) BETWEEN 1 AND 60),
  route          text NOT NULL DEFAULT '' CHECK (length(route) <= 300),
  transport      text NOT NULL DEFAULT '' CHECK (length(transport) <= 60),
  circumstance   text NOT NULL CHECK (circumstance IN ('work', 'study', 'home', 'other')),
  arrival_on     date NOT NULL,
  reported_via   text NOT NULL CHECK (reported_via IN ('self', 'staff')),
  reported_by    uuid REFERENCES staff(id),
  -- the measure in force, from the rule that matched (re-evaluated when rules change)
  rule_id        uuid REFERENCES arrival_rules(id),
  measure        text NOT NULL CHECK (measure IN ('centralized_isolation', 'home_isolation', 'health_monitoring', 'none')),
  measure_days   integer NOT NULL CHECK (measure_days BETWEEN 0 AND 60),
  measure_until  date,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX arrival_reports_community_idx ON arrival_reports (community_code text_pattern_ops);
CREATE INDEX arrival_reports_person_idx ON arrival_reports (person_id);

-- A key person (重点人员) and the measure the community manages; one open record a person and category.
CREATE TABLE key_persons (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id      uuid NOT NULL REFERENCES persons(id),
  community_code text NOT NULL REFERENCES areas(code),
  category       text NOT NULL CHECK (category IN ('returnee', 'fever', 'close_contact', 'secondary_contact',
                                                    'home_isolation', 'centralized_isolation', 'medical_observation')),
  measure        text NOT NULL CHECK (measure IN ('centralized_isolation', 'home_isolation', 'health_monitoring', 'medical_observation')),
  start_on       date NOT NULL,
  end_on         date,
  source_kind    text NOT NULL CHECK (source_kind IN ('arrival', 'contact', 'fever_alert', 'manual')),
  source_id      uuid,
  household_id   uuid REFERENCES households(id),
  closed_on      date,
  close_reason   text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX key_persons_open_uniq ON key_persons (person_id, category) WHERE closed_on IS NULL;
CREATE INDEX key_persons_community_idx ON key_persons (community_code text_pattern_ops);

-- 五包一: the five named staff of a key person's team, one per role.
CREATE TABLE care_team_members (
  key_person_id uuid NOT NULL REFERENCES key_persons(id),
  team_role     text NOT NULL CHECK (team_role IN ('street_cadre', 'community_worker', 'doctor', 'police', 'counsellor')),
  staff_id      uuid NOT NULL REFERENCES staff(id),
  assigned_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_person_id, team_role)
);
CREATE INDEX care_team_members_staff_idx ON care_team_members (staff_id);

-- A task of a team member: registration, referral, visit, living service, or raised by an alert.
CREATE TABLE care_tasks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_person_id  uuid NOT NULL REFERENCES key_persons(id),
  community_code text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('registration', 'referral', 'visit', 'living_service', 'fever',
                                               'missed_report', 'door_open', 'sensor_silent', 'battery_low')),
  assignee_id    uuid NOT NULL REFERENCES staff(id),
  title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  detail         jsonb NOT NULL DEFAULT '{}',
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'done', 'cancelled')),
  due_at         timestamptz,
  -- the event that raised it (an observation report, a door event, a sensor): one task per member and cause
  cause_key      text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  done_at        timestamptz,
  done_by        uuid REFERENCES staff(id),
  outcome        text
);
CREATE UNIQUE INDEX care_tasks_cause_uniq ON care_tasks (cause_key, assignee_id) WHERE cause_key IS NOT NULL;
CREATE INDEX care_tasks_assignee_idx ON care_tasks (assignee_id, state);
CREATE INDEX care_tasks_key_person_idx ON care_tasks (key_person_id);

-- Twice-daily temperature and symptoms of a key person (self-reported or recorded at a visit).
CREATE TABLE observation_reports (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_person_id uuid NOT NULL REFERENCES key_persons(id),
  report_on     date NOT NULL,
  slot          text NOT NULL CHECK (slot IN ('am', 'pm')),
  temperature   numeric(4,1),
  symptoms      jsonb NOT NULL DEFAULT '[]',
  source        text NOT NULL CHECK (source IN ('self', 'doctor')),
  staff_id      uuid REFERENCES staff(id),
  reported_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key_person_id, report_on, slot)
);

-- Door sensors (电子门磁) bound to isolated households; events as the broker delivered them.
CREATE TABLE door_sensors (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device        text NOT NULL CHECK (device ~ '^[A-Za-z0-9_.:-]{1,64}$'),  -- the topic's last level
  household_id  uuid NOT NULL REFERENCES households(id),
  key_person_id uuid REFERENCES key_persons(id),
  windows       jsonb NOT NULL DEFAULT '[]',   -- agreed windows: [{from: 'HH:MM', to: 'HH:MM', note}] China time, daily
  bound_at      timestamptz NOT NULL DEFAULT now(),
  bound_by      uuid REFERENCES staff(id),
  unbound_at    timestamptz,
  last_seen_at  timestamptz,
  battery       integer,
  contact       boolean
);
CREATE UNIQUE INDEX door_sensors_bound_uniq ON door_sensors (device) WHERE unbound_at IS NULL;
CREATE TABLE door_events (
  id          bigserial PRIMARY KEY,
  sensor_id   uuid NOT NULL REFERENCES door_sensors(id),
  at          timestamptz NOT NULL,   -- when the broker delivered it to us
  contact     boolean,
  battery     integer,
  linkquality integer,
  alert       text CHECK (alert IS NULL OR alert IN ('door_open', 'battery_low'))
);
CREATE INDEX door_events_sensor_idx ON door_events (sensor_id, at DESC);

-- 排查 / 清零行动: a screening campaign over every household of a community.
CREATE TABLE screening_campaigns (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_code text NOT NULL REFERENCES areas(code),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  started_on     date NOT NULL,
  ended_on       date,
  created_by     uuid REFERENCES staff(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE screening_visits (
  campaign_id  uuid NOT NULL REFERENCES screening_campaigns(id),
  household_id uuid NOT NULL REFERENCES households(id),
  visited_at   timestamptz NOT NULL,
  staff_id     uuid NOT NULL REFERENCES staff(id),
  outcome      text NOT NULL CHECK (outcome IN ('normal', 'key_person_found', 'empty', 'no_answer', 'refused')),
  note         text NOT NULL DEFAULT '' CHECK (length(note) <= 300),
  PRIMARY KEY (campaign_id, household_id)
);
