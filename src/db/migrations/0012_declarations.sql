-- Health declaration certificates (健康申报证明, SPEC S6, issue 6): the declaration, its workflow
-- steps (append-only) and the certificate row (issuing comes later). Day facts are China dates;
-- instants timestamptz.

-- A declaration: the form a resident (or center staff for them) submits, and where it stands.
CREATE TABLE declarations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id       uuid NOT NULL REFERENCES persons(id),
  community_code  text NOT NULL REFERENCES areas(code),          -- the community where the person resides
  state           text NOT NULL CHECK (state IN ('submitted', 'returned', 'residence_verified', 'assessed',
                                                 'refused', 'signed', 'issued', 'revoked')),
  submitted_via   text NOT NULL CHECK (submitted_via IN ('self', 'staff')),
  entered_by      uuid REFERENCES staff(id),                     -- staff: the center account that entered it
  device_id       uuid REFERENCES devices(id),                   -- self: the phone it came from
  -- the answers: residence for each of the last 14 days, travel, contacts, symptoms, destination, purpose
  answers         jsonb NOT NULL,
  acknowledged_at timestamptz NOT NULL,                          -- a false declaration carries legal responsibility
  eligibility     jsonb NOT NULL DEFAULT '{}',                   -- residence start and day at submission
  return_reason   text CHECK (return_reason IS NULL OR length(return_reason) <= 300),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (submitted_via = 'self' OR entered_by IS NOT NULL)
);
-- One open declaration a person (closed: refused, issued, revoked).
CREATE UNIQUE INDEX declarations_open_uniq ON declarations (person_id)
  WHERE state IN ('submitted', 'returned', 'residence_verified', 'assessed', 'signed');
CREATE INDEX declarations_community_idx ON declarations (community_code text_pattern_ops);

-- Each step taken (who, when, the outcome); written in the same transaction as the new state.
CREATE TABLE declaration_steps (
  id             bigserial PRIMARY KEY,
  declaration_id uuid NOT NULL REFERENCES declarations(id),
  action         text NOT NULL CHECK (action IN ('submit', 'resubmit', 'verify_residence', 'return', 'assess', 'sign', 'issue', 'revoke')),
  from_state     text,
  to_state       text NOT NULL,
  actor_kind     text NOT NULL CHECK (actor_kind IN ('staff', 'resident', 'system')),
  actor_id       text,                                           -- staff id or device id
  actor_role     text NOT NULL,
  actor_name     text,
  at             timestamptz NOT NULL DEFAULT now(),
  reason         text CHECK (reason IS NULL OR length(reason) <= 300),
  assessment     jsonb                                           -- assess: temperature, cough, chest tightness, other, conclusion
);
CREATE INDEX declaration_steps_declaration_idx ON declaration_steps (declaration_id, id);
CREATE TRIGGER declaration_steps_append_only BEFORE UPDATE OR DELETE ON declaration_steps
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The certificate issued for a declaration (the token is not stored: it is re-signable from this row).
CREATE TABLE certificates (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),  -- the token's jti
  declaration_id   uuid NOT NULL UNIQUE REFERENCES declarations(id),
  person_id        uuid NOT NULL REFERENCES persons(id),
  org_id           uuid NOT NULL REFERENCES organisations(id),   -- the issuing health service center
  doctor_id        uuid REFERENCES staff(id),
  chief_doctor_id  uuid REFERENCES staff(id),
  issued_at        timestamptz NOT NULL,
  not_after        timestamptz NOT NULL,
  kid              text,
  revoked_at       timestamptz,
  revoked_by       uuid REFERENCES staff(id),
  revoke_reason    text CHECK (revoke_reason IS NULL OR length(revoke_reason) BETWEEN 1 AND 300),
  CHECK (not_after > issued_at),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificates_person_idx ON certificates (person_id);
