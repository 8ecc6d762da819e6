-- Retention of health declarations (issue 6; Standards: "retention limits enforced by code"): the
-- steps of a declaration stay append-only, except for the retention purge, which deletes whole
-- declarations past DECLARATION_RETENTION_DAYS and marks its transaction with
-- `SET LOCAL yiqu.retention_purge = 'on'`.
CREATE FUNCTION forbid_change_except_purge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('yiqu.retention_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% rows are never changed or deleted (issue a revision instead)', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
DROP TRIGGER declaration_steps_append_only ON declaration_steps;
CREATE TRIGGER declaration_steps_append_only BEFORE UPDATE OR DELETE ON declaration_steps
  FOR EACH ROW EXECUTE FUNCTION forbid_change_except_purge();
