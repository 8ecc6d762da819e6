-- Area tree, organisations, staff accounts and sessions, audit log, server secrets.

-- Area codes are the national division codes; a child's code begins with its parent's
-- (4108 > 410811 > 410811001 > 410811001001), so a subtree is `code LIKE scope || '%'`.
CREATE TABLE areas (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{2,12}$'),
  name        text NOT NULL,
  level       smallint NOT NULL CHECK (level BETWEEN 1 AND 5), -- 1 province, 2 city, 3 district, 4 street, 5 community
  parent_code text REFERENCES areas(code),
  CHECK (parent_code IS NULL OR starts_with(code, parent_code))
);
CREATE INDEX areas_parent_idx ON areas (parent_code);
CREATE INDEX areas_code_prefix_idx ON areas (code text_pattern_ops);

-- Health service centers and other organisations attached to an area node.
CREATE TABLE organisations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('health_center', 'industry_authority', 'enterprise', 'other')),
  name       text NOT NULL,
  area_code  text NOT NULL REFERENCES areas(code),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,40}$'),
  display_name  text NOT NULL,
  role          text NOT NULL,
  area_code     text NOT NULL REFERENCES areas(code),
  org_id        uuid REFERENCES organisations(id),
  checkpoint_id uuid, -- a guard's post (FK added with checkpoints)
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  disabled_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES staff(id)
);
CREATE INDEX staff_area_idx ON staff (area_code text_pattern_ops);

-- Session ids are random; only their SHA-256 is stored.
CREATE TABLE staff_sessions (
  id_hash      text PRIMARY KEY,
  staff_id     uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

-- Every read of a person's record, every export, every status change and every binding.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'resident', 'system')),
  actor_id    text,
  actor_role  text,
  actor_name  text,
  action      text NOT NULL,
  person_id   uuid,
  area_code   text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_person_idx ON audit_log (person_id, at DESC) WHERE person_id IS NOT NULL;
CREATE INDEX audit_at_idx ON audit_log (at DESC);

-- Secrets generated on first start (the pepper of document hashes), kept with the data.
CREATE TABLE server_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
