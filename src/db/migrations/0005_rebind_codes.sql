-- One-time codes that let staff re-bind a device to an already registered document after checking
-- the ID card in person (issue 2 §6). Only an HMAC of the 6-digit code is stored; a code lives
-- 15 minutes and is used once.
CREATE TABLE rebind_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code_hash  text NOT NULL,
  doc_hash   text NOT NULL,
  device_id  uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  relation   text NOT NULL CHECK (relation IN ('self', 'dependent')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  used_by    uuid REFERENCES staff(id)
);
CREATE INDEX rebind_codes_code_idx ON rebind_codes (code_hash) WHERE used_at IS NULL;
CREATE INDEX rebind_codes_device_idx ON rebind_codes (device_id);
