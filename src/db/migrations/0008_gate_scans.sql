-- The guard's side of the two-way gate (issue 3 §3, §4): every scan a gate device sends, keyed by
-- the idempotency key the device chose when it scanned, holding the answer it got; and the two-way
-- records linking a guard's scan of a person with that person's own scan of the checkpoint.

-- One row per scan sent by a gate (online or queued offline). The same key again answers this row
-- and writes nothing (exactly once, also for a queue posted twice at the same time). A scan whose
-- token was not authentic is kept too (status 'rejected', no person, no check-in): a forged code
-- shown at a gate is a fact worth keeping. Rows follow their check-in out at the retention purge.
CREATE TABLE gate_scans (
  idempotency_key uuid PRIMARY KEY,
  checkpoint_id   uuid NOT NULL REFERENCES checkpoints(id),
  community_code  text NOT NULL,            -- the checkpoint's community, for scoped queries
  staff_id        uuid NOT NULL REFERENCES staff(id),
  person_id       uuid,                     -- the token's subject; null when the token was not authentic
  token_type      text CHECK (token_type IN ('pass', 'card')),
  token_jti       text,                     -- a card's id
  direction       text NOT NULL CHECK (direction IN ('in', 'out')),
  temperature     numeric(4,1),             -- °C, measured by the guard
  offline         boolean NOT NULL,
  local_outcome   text CHECK (local_outcome IN ('pass', 'refused')),   -- what the offline gate decided
  local_reason    text,
  scanned_at      timestamptz NOT NULL,     -- the device's clock, as sent
  at              timestamptz NOT NULL,     -- the time recorded (corrected when the clock was off)
  skew_s          integer NOT NULL,         -- server time − device time when the batch was sent, seconds
  skew_corrected  boolean NOT NULL,         -- |skew_s| > CLOCK_SKEW_MAX_S: `at` = scanned_at + skew
  status          text NOT NULL CHECK (status IN ('recorded', 'rejected')),
  outcome         text NOT NULL CHECK (outcome IN ('pass', 'refused')),
  reason_code     text,
  reason          jsonb,                    -- {zh, en}
  masked_name     text,
  checkin_id      uuid,                     -- the guard-side check-in (null when rejected)
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gate_scans_checkin_idx ON gate_scans (checkin_id);
CREATE INDEX gate_scans_checkpoint_at_idx ON gate_scans (checkpoint_id, at);
CREATE INDEX gate_scans_at_idx ON gate_scans (at);

-- A two-way check (SPEC S2 三双向): the guard's scan of a person and that person's own scan of the
-- checkpoint's place, same direction, within TWO_WAY_WINDOW_S, with both temperatures. Each check-in
-- is in at most one record. gap_c > TWO_WAY_TEMP_GAP_C flags the record (a wrong reading on one side).
CREATE TABLE two_way_checks (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id            uuid NOT NULL,
  place_id             uuid NOT NULL,
  checkpoint_id        uuid NOT NULL,       -- the guard's checkpoint
  community_code       text NOT NULL,
  direction            text NOT NULL CHECK (direction IN ('in', 'out')),
  guard_checkin_id     uuid NOT NULL UNIQUE,
  resident_checkin_id  uuid NOT NULL UNIQUE,
  guard_at             timestamptz NOT NULL,
  resident_at          timestamptz NOT NULL,
  guard_temperature    numeric(4,1),
  resident_temperature numeric(4,1),
  gap_c                numeric(4,1),        -- |guard − resident| °C; null unless both were measured
  flagged              boolean NOT NULL,
  linked_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX two_way_checks_community_idx ON two_way_checks (community_code text_pattern_ops, guard_at);
CREATE INDEX two_way_checks_guard_at_idx ON two_way_checks (guard_at);
