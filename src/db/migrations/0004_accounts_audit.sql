-- Staff administration and the audit log API (issue 2 §4, §10).

-- The audit log is read by area subtree (`area_code LIKE scope || '%'`), newest first.
CREATE INDEX audit_area_at_idx ON audit_log (area_code text_pattern_ops, at DESC) WHERE area_code IS NOT NULL;

-- One organisation of a name per area node (e.g. one 东方红街道社区卫生服务中心).
CREATE UNIQUE INDEX organisations_area_name_uniq ON organisations (area_code, name);

-- The guards posted at a checkpoint.
CREATE INDEX staff_checkpoint_idx ON staff (checkpoint_id) WHERE checkpoint_id IS NOT NULL;
