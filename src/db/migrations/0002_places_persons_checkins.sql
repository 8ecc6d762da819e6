-- Places, checkpoints, persons, devices, person status, check-ins, stays, fever alerts, holds.

CREATE TABLE places (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_code text NOT NULL REFERENCES areas(code),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind           text NOT NULL CHECK (kind IN ('residential', 'village', 'government', 'enterprise',
                                               'mall', 'supermarket', 'medical', 'other')),
  address        text NOT NULL DEFAULT '',
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     uuid REFERENCES staff(id)
);
CREATE INDEX places_community_idx ON places (community_code text_pattern_ops);
CREATE UNIQUE INDEX places_name_uniq ON places (community_code, name) WHERE disabled_at IS NULL;

CREATE TABLE checkpoints (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  place_id    uuid NOT NULL REFERENCES places(id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  mode        text NOT NULL DEFAULT 'poster' CHECK (mode IN ('poster', 'screen')),
  disabled_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkpoints_place_idx ON checkpoints (place_id);
ALTER TABLE staff ADD CONSTRAINT staff_checkpoint_fk FOREIGN KEY (checkpoint_id) REFERENCES checkpoints(id);

-- A checkpoint's poster token; reissuing revokes the old one, which is kept to say so clearly.
CREATE TABLE checkpoint_tokens (
  token         text PRIMARY KEY CHECK (length(token) >= 20),
  checkpoint_id uuid NOT NULL REFERENCES checkpoints(id),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE UNIQUE INDEX checkpoint_tokens_active ON checkpoint_tokens (checkpoint_id) WHERE revoked_at IS NULL;

CREATE TABLE persons (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL,
  doc_type       text NOT NULL,
  doc_hash       text NOT NULL,  -- HMAC of type:number, the matching key
  doc_number     text NOT NULL,  -- shown whole only in authorised views
  doc_masked     text NOT NULL,
  birth_date     date,
  sex            text CHECK (sex IN ('M', 'F')),
  phone          text,           -- null for a dependent without a phone
  home_community_code text REFERENCES areas(code),
  address        text NOT NULL DEFAULT '',
  registered_via text NOT NULL CHECK (registered_via IN ('self', 'family', 'guard', 'staff')),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX persons_doc_uniq ON persons (doc_hash);
CREATE INDEX persons_community_idx ON persons (home_community_code text_pattern_ops);

-- A phone's credential: the cookie holds id + secret; only the secret's SHA-256 is stored.
CREATE TABLE devices (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_persons (
  device_id  uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  person_id  uuid NOT NULL REFERENCES persons(id),
  relation   text NOT NULL CHECK (relation IN ('self', 'dependent')),
  bound_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, person_id)
);
CREATE INDEX device_persons_person_idx ON device_persons (person_id);

-- The person status register: current status, and every change with role, reason and time.
CREATE TABLE person_status (
  person_id  uuid PRIMARY KEY REFERENCES persons(id),
  status     text NOT NULL CHECK (status IN ('normal', 'fever_pending', 'medical_observation',
                                             'home_isolation', 'centralized_isolation', 'case')),
  reason     text NOT NULL,
  since      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE person_status_history (
  id          bigserial PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES persons(id),
  status      text NOT NULL,
  previous    text,
  reason      text NOT NULL CHECK (length(reason) > 0),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'system')),
  actor_id    text,
  actor_role  text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_status_history_idx ON person_status_history (person_id, at DESC);

CREATE TABLE checkins (
  id             uuid PRIMARY KEY,
  person_id      uuid NOT NULL REFERENCES persons(id),
  checkpoint_id  uuid NOT NULL REFERENCES checkpoints(id),
  place_id       uuid NOT NULL REFERENCES places(id),
  community_code text NOT NULL,  -- the place's community, for scoped queries without joins
  direction      text NOT NULL CHECK (direction IN ('in', 'out')),
  temperature    numeric(4,1),   -- °C
  outcome        text NOT NULL CHECK (outcome IN ('pass', 'refused')),
  refusal        text,           -- reason code when refused
  source         text NOT NULL CHECK (source IN ('resident', 'guard')),
  actor_id       text,           -- device id or staff id
  at             timestamptz NOT NULL
);
CREATE INDEX checkins_person_at_idx ON checkins (person_id, at DESC);
CREATE INDEX checkins_place_at_idx ON checkins (place_id, at DESC);
CREATE INDEX checkins_community_at_idx ON checkins (community_code text_pattern_ops, at);
-- only the retention purge scans by time alone: a BRIN index costs almost nothing per insert
CREATE INDEX checkins_at_idx ON checkins USING brin (at);

-- A stay at a place (any gate): opened by an entry, closed by an exit, an entry elsewhere or timeout.
CREATE TABLE stays (
  id             uuid PRIMARY KEY,
  person_id      uuid NOT NULL REFERENCES persons(id),
  place_id       uuid NOT NULL REFERENCES places(id),
  entered_at     timestamptz NOT NULL,
  entry_checkin_id uuid NOT NULL,
  closed_at      timestamptz,
  closed_by      text CHECK (closed_by IN ('exit', 'other_place', 'timeout')),
  exit_checkin_id uuid,
  -- one open stay a person, checked at the end of the statement (a group commit closes and opens in one)
  CONSTRAINT stays_one_open EXCLUDE USING btree (person_id WITH =) WHERE (closed_at IS NULL) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX stays_place_idx ON stays (place_id, entered_at);
CREATE INDEX stays_entered_idx ON stays USING brin (entered_at);

CREATE TABLE fever_alerts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  checkin_id     uuid NOT NULL UNIQUE,
  person_id      uuid NOT NULL REFERENCES persons(id),
  checkpoint_id  uuid NOT NULL REFERENCES checkpoints(id),
  community_code text NOT NULL,
  temperature    numeric(4,1) NOT NULL,
  raised_at      timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES staff(id),
  remeasured_temperature numeric(4,1),
  outcome        text CHECK (outcome IN ('cleared', 'referred', 'escorted_home')),
  resolved_at    timestamptz,
  resolved_by    uuid REFERENCES staff(id),
  escalated_at   timestamptz
);
CREATE INDEX fever_alerts_open_idx ON fever_alerts (community_code text_pattern_ops) WHERE resolved_at IS NULL;

-- Holds keep check-ins from the retention purge while an investigation is open (later: tracing).
CREATE TABLE retention_holds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id   uuid REFERENCES persons(id),
  place_id    uuid REFERENCES places(id),
  from_at     timestamptz NOT NULL,
  to_at       timestamptz NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  released_at timestamptz,
  CHECK (person_id IS NOT NULL OR place_id IS NOT NULL)
);
