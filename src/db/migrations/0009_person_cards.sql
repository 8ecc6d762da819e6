-- Printed personal cards for people without phones (issue 3 §6). A card's id is the `jti` of its
-- signed token (type 'card', CARD_VALID_DAYS); the token itself is not stored: the PDF re-signs it
-- with the same jti, iat and exp. A person has at most one card in force: issuing a new one revokes
-- the previous (revoked_at, plus a row in revoked_tokens for the offline scanners).
CREATE TABLE person_cards (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id     uuid NOT NULL REFERENCES persons(id),
  issued_by     uuid NOT NULL REFERENCES staff(id),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES staff(id),
  revoke_reason text,
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX person_cards_person_idx ON person_cards (person_id, issued_at DESC);
CREATE UNIQUE INDEX person_cards_in_force_idx ON person_cards (person_id) WHERE revoked_at IS NULL;
