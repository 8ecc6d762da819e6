-- Cases, close contacts under medical observation, traces and published situation reports
-- (SPEC S4, S5; issue 4). Dates that are facts of a day (onset, confirmation, exposure, release)
-- are China calendar dates (`date`); instants are timestamptz.

-- A case: one row a person and episode; its history is case_events.
CREATE TABLE cases (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number          text NOT NULL UNIQUE,            -- printed case number, e.g. 410803-0001
  person_id       uuid NOT NULL REFERENCES persons(id),
  community_code  text NOT NULL REFERENCES areas(code),  -- counted here: the person's home community
  -- current state (the latest of case_events, kept here for lists)
  status          text NOT NULL CHECK (status IN ('suspected', 'confirmed', 'discharged', 'excluded', 'deceased')),
  hospitalised    boolean NOT NULL,
  hospital        text NOT NULL DEFAULT '' CHECK (length(hospital) <= 100),
  onset_on        date,                             -- symptom onset (China date)
  isolated_on     date,                             -- isolated or admitted (China date)
  classification  text NOT NULL CHECK (classification IN ('imported', 'local')),
  source_area     text CHECK (source_area IS NULL OR length(source_area) BETWEEN 1 AND 60),  -- imported: e.g. 湖北武汉
  infector_case_id uuid REFERENCES cases(id),       -- set: a second-generation case
  cluster         text CHECK (cluster IS NULL OR length(cluster) BETWEEN 1 AND 60),          -- e.g. a family cluster's label
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid NOT NULL REFERENCES staff(id),
  CHECK (classification = 'imported' OR source_area IS NULL),
  CHECK (infector_case_id IS NULL OR infector_case_id <> id)
);
CREATE INDEX cases_community_idx ON cases (community_code text_pattern_ops);
CREATE INDEX cases_person_idx ON cases (person_id);
CREATE INDEX cases_infector_idx ON cases (infector_case_id);
-- one open case (suspected or confirmed) a person
CREATE UNIQUE INDEX cases_one_open ON cases (person_id) WHERE status IN ('suspected', 'confirmed');

-- Every state of a case, from its registration: the status, hospitalisation and hospital in force
-- from `effective_on` (China date). "As of 24:00 on D" reads the latest row with effective_on <= D.
CREATE TABLE case_events (
  id           bigserial PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES cases(id),
  status       text NOT NULL CHECK (status IN ('suspected', 'confirmed', 'discharged', 'excluded', 'deceased')),
  hospitalised boolean NOT NULL,
  hospital     text NOT NULL DEFAULT '',
  effective_on date NOT NULL,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  actor_id     uuid NOT NULL REFERENCES staff(id),
  actor_role   text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, effective_on, id);

-- A trace: a case's (or a contact's) visits in a look-back window and everyone whose stay at the
-- same place overlapped; the ranked result is kept with the case as computed.
CREATE TABLE traces (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases(id),     -- the case the chain leads to
  subject_person_id uuid NOT NULL REFERENCES persons(id), -- whose visits were traced (the case's person or a contact)
  subject_contact_id uuid,                                -- set when tracing a contact (contacts of contacts)
  window_from     timestamptz NOT NULL,
  window_to       timestamptz NOT NULL,
  margin_min      integer NOT NULL CHECK (margin_min BETWEEN 0 AND 1440),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  result          jsonb NOT NULL,                         -- {visits: [...], candidates: [...]}
  created_by      uuid NOT NULL REFERENCES staff(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (window_from < window_to)
);
CREATE INDEX traces_case_idx ON traces (case_id, created_at DESC);

-- A close contact (of a case) or a secondary contact (of a contact), under medical observation.
CREATE TABLE contacts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id         uuid NOT NULL REFERENCES persons(id),
  community_code    text NOT NULL REFERENCES areas(code),  -- the person's home community: contacts go there
  kind              text NOT NULL CHECK (kind IN ('close', 'secondary')),
  source_case_id    uuid REFERENCES cases(id),
  source_contact_id uuid REFERENCES contacts(id),
  case_id           uuid NOT NULL REFERENCES cases(id),    -- the case the chain leads to
  trace_id          uuid REFERENCES traces(id),            -- the trace that found them, if any
  last_exposure_on  date NOT NULL,
  symptoms_last_on  date,                                  -- latest day with symptoms reported during observation
  computed_end_on   date NOT NULL,                         -- the observation rule's end date (day 14)
  override_end_on   date,                                  -- a manual end date in force (reason in contact_events)
  end_on            date NOT NULL,                         -- in force: override_end_on ?? computed_end_on
  traced_on         date NOT NULL,                         -- China date the contact was registered
  released_on       date,
  released_by       uuid REFERENCES staff(id),
  release_reason    text,
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        uuid NOT NULL REFERENCES staff(id),
  CHECK ((kind = 'close' AND source_case_id IS NOT NULL AND source_contact_id IS NULL)
      OR (kind = 'secondary' AND source_contact_id IS NOT NULL AND source_case_id IS NULL)),
  CHECK (end_on = COALESCE(override_end_on, computed_end_on))
);
CREATE UNIQUE INDEX contacts_case_person ON contacts (source_case_id, person_id) WHERE source_case_id IS NOT NULL;
CREATE UNIQUE INDEX contacts_contact_person ON contacts (source_contact_id, person_id) WHERE source_contact_id IS NOT NULL;
CREATE INDEX contacts_community_idx ON contacts (community_code text_pattern_ops);
CREATE INDEX contacts_case_idx ON contacts (case_id);
CREATE INDEX contacts_person_idx ON contacts (person_id);
ALTER TABLE traces ADD CONSTRAINT traces_contact_fk FOREIGN KEY (subject_contact_id) REFERENCES contacts(id);

-- Every change to a contact: created, exposure corrected, symptoms, override, override reverted, released.
CREATE TABLE contact_events (
  id          bigserial PRIMARY KEY,
  contact_id  uuid NOT NULL REFERENCES contacts(id),
  kind        text NOT NULL CHECK (kind IN ('created', 'exposure_corrected', 'symptoms', 'override', 'override_reverted', 'released')),
  detail      jsonb NOT NULL DEFAULT '{}',
  reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  actor_id    uuid NOT NULL REFERENCES staff(id),
  actor_role  text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_events_contact_idx ON contact_events (contact_id, id);

-- A trace holds the check-ins it used from the retention purge while its case is open.
ALTER TABLE retention_holds ADD COLUMN case_id uuid REFERENCES cases(id);
ALTER TABLE retention_holds ADD COLUMN trace_id uuid REFERENCES traces(id);
CREATE INDEX retention_holds_case_idx ON retention_holds (case_id) WHERE released_at IS NULL;

-- A published situation report, stored as issued; a correction is a new revision of the same
-- area and date, never an edit.
CREATE TABLE situation_reports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_code    text NOT NULL REFERENCES areas(code),
  report_date  date NOT NULL,
  revision     integer NOT NULL CHECK (revision >= 1),
  figures      jsonb NOT NULL,
  text_zh      text NOT NULL,
  note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),  -- why this revision was issued
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by uuid NOT NULL REFERENCES staff(id),
  UNIQUE (area_code, report_date, revision)
);

-- Published reports and the history tables are append-only.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never changed or deleted (issue a revision instead)', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER situation_reports_append_only BEFORE UPDATE OR DELETE ON situation_reports
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER contact_events_append_only BEFORE UPDATE OR DELETE ON contact_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
