-- Tenant API key credentials. Only a SHA-256 hash of each secret is stored; the secret is shown
-- once, when the key is created, and never enters an event.
CREATE TABLE api_key_credential (
    key_id      VARCHAR(40)  PRIMARY KEY,
    tenant_id   VARCHAR(40)  NOT NULL,
    name        VARCHAR(200),
    scopes      TEXT         NOT NULL DEFAULT '',
    secret_hash BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE INDEX api_key_credential_tenant_idx ON api_key_credential (tenant_id);
