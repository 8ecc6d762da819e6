-- When checkpoints and places were closed (issue 3 §4): a scan queued offline is recorded only when
-- its gate was open at the moment of the scan, also after the gate has been reopened since. Kept by
-- triggers on disabled_at, so every path that closes or reopens (console, import, seed) is covered.
-- checkpoint_id is null for the closing of a whole place. No personal data.
CREATE TABLE closures (
  id            bigserial PRIMARY KEY,
  place_id      uuid NOT NULL,
  checkpoint_id uuid,
  closed_at     timestamptz NOT NULL,
  reopened_at   timestamptz
);
CREATE INDEX closures_place_idx ON closures (place_id, closed_at);

INSERT INTO closures (place_id, checkpoint_id, closed_at) SELECT place_id, id, disabled_at FROM checkpoints WHERE disabled_at IS NOT NULL;
INSERT INTO closures (place_id, checkpoint_id, closed_at) SELECT id, NULL, disabled_at FROM places WHERE disabled_at IS NOT NULL;

CREATE FUNCTION record_closure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pid uuid;
  cid uuid;
BEGIN
  -- fields are read in their own branch: a places row has no place_id
  IF TG_TABLE_NAME = 'checkpoints' THEN
    pid := NEW.place_id;
    cid := NEW.id;
  ELSE
    pid := NEW.id;
    cid := NULL;
  END IF;
  IF OLD.disabled_at IS NULL AND NEW.disabled_at IS NOT NULL THEN
    INSERT INTO closures (place_id, checkpoint_id, closed_at) VALUES (pid, cid, NEW.disabled_at);
  ELSIF OLD.disabled_at IS NOT NULL AND NEW.disabled_at IS NULL THEN
    UPDATE closures SET reopened_at = now()
      WHERE place_id = pid AND checkpoint_id IS NOT DISTINCT FROM cid AND reopened_at IS NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER checkpoints_closures AFTER UPDATE OF disabled_at ON checkpoints FOR EACH ROW EXECUTE FUNCTION record_closure();
CREATE TRIGGER places_closures AFTER UPDATE OF disabled_at ON places FOR EACH ROW EXECUTE FUNCTION record_closure();
