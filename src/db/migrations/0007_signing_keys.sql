-- Signing keys of the signed tokens (issue 3 §1): one active ES256 key per token type, replaced
-- every SIGNING_KEY_ROTATE_DAYS; a replaced key stays published in the JWKS until the last token it
-- signed has expired (publish_until), then it is deleted. The private key is kept with the data,
-- like server_secrets (docs/SECURITY.md).
CREATE TABLE signing_keys (
  kid           text PRIMARY KEY,
  token_type    text NOT NULL,
  public_jwk    jsonb NOT NULL,
  private_jwk   jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  retired_at    timestamptz,
  publish_until timestamptz
);
CREATE UNIQUE INDEX signing_keys_active_idx ON signing_keys (token_type) WHERE retired_at IS NULL;

-- Revoked tokens (cards, later certificates), served to offline scanners; a row is kept until the
-- token would have expired anyway.
CREATE TABLE revoked_tokens (
  jti         text PRIMARY KEY,
  token_type  text NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  reason      text NOT NULL,
  revoked_by  uuid REFERENCES staff(id)
);
CREATE INDEX revoked_tokens_revoked_at_idx ON revoked_tokens (revoked_at);
