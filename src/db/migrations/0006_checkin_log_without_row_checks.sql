-- Check-ins and stays are the busiest tables (SPEC S1: every scan at every gate). Their foreign
-- keys cost each inserted row a lookup that also locks the referenced row (FOR KEY SHARE): a WAL
-- record per person, and on a busy place many transactions sharing one lock (a multixact). The
-- benchmark measured about a fifth of the database's work on them.
--
-- The integrity they gave is kept from the other side: the referenced rows cannot be deleted.
-- Places and checkpoints are disabled, never deleted; a person with check-ins or stays cannot be
-- deleted until those are gone (the retention purge deletes them first). Check-ins are written only
-- by the check-in service, from a checkpoint and persons it has just read.
ALTER TABLE checkins DROP CONSTRAINT checkins_person_id_fkey;
ALTER TABLE checkins DROP CONSTRAINT checkins_checkpoint_id_fkey;
ALTER TABLE checkins DROP CONSTRAINT checkins_place_id_fkey;
ALTER TABLE stays DROP CONSTRAINT stays_person_id_fkey;
ALTER TABLE stays DROP CONSTRAINT stays_place_id_fkey;

CREATE FUNCTION forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted (disable them instead)', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;

CREATE FUNCTION forbid_delete_person_with_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checkins WHERE person_id = OLD.id)
     OR EXISTS (SELECT 1 FROM stays WHERE person_id = OLD.id) THEN
    RAISE EXCEPTION 'person % still has check-ins or stays', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER places_no_delete BEFORE DELETE ON places FOR EACH ROW EXECUTE FUNCTION forbid_delete();
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION forbid_delete();
CREATE TRIGGER places_no_truncate BEFORE TRUNCATE ON places FOR EACH STATEMENT EXECUTE FUNCTION forbid_delete();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints FOR EACH STATEMENT EXECUTE FUNCTION forbid_delete();
CREATE TRIGGER persons_delete_guard BEFORE DELETE ON persons FOR EACH ROW EXECUTE FUNCTION forbid_delete_person_with_log();
