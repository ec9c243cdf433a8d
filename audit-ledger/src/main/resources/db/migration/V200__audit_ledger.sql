-- Audit ledger: one hash chain per tenant, append-only (docs/ledger-format.md).
-- Versions V200..V299 belong to audit-ledger.

-- One row per ledger entry. Every column except recorded_at is covered by event_hash / kms_signature.
CREATE TABLE ledger_entry (
    tenant_id           text        NOT NULL,
    sequence            bigint      NOT NULL,
    event_id            text        NOT NULL,
    mandate_id          text,
    event_type          text        NOT NULL,
    event_timestamp     timestamptz NOT NULL,
    -- actor and details are kept as their RFC 8785 canonical JSON text, exactly the bytes that were
    -- hashed; cast to jsonb for ad-hoc queries (actor::jsonb ->> 'id').
    actor               text        NOT NULL,
    details             text        NOT NULL,
    previous_event_hash text        NOT NULL,
    event_hash          text        NOT NULL,
    kms_signature       text        NOT NULL,
    key_id              text        NOT NULL,
    hash_algorithm      text        NOT NULL,
    signing_algorithm   text        NOT NULL,
    -- when this node appended the entry (not hashed: a replay appends the same entry at another time)
    recorded_at         timestamptz NOT NULL,
    CONSTRAINT ledger_entry_pk PRIMARY KEY (tenant_id, sequence),
    CONSTRAINT ledger_entry_event_id_uk UNIQUE (event_id),
    CONSTRAINT ledger_entry_sequence_ck CHECK (sequence >= 1),
    CONSTRAINT ledger_entry_event_type_ck CHECK (event_type ~ '^[A-Z][A-Z0-9_]*$'),
    CONSTRAINT ledger_entry_previous_hash_ck CHECK (previous_event_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ledger_entry_event_hash_ck CHECK (event_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ledger_entry_genesis_ck CHECK (sequence > 1 OR previous_event_hash = repeat('0', 64))
);

CREATE INDEX ledger_entry_mandate_ix ON ledger_entry (tenant_id, mandate_id, sequence)
    WHERE mandate_id IS NOT NULL;
CREATE INDEX ledger_entry_event_type_ix ON ledger_entry (tenant_id, event_type, sequence);

CREATE FUNCTION ledger_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'raise_exception';
END
$$;

CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_entry_no_truncate
    BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The head of each tenant's chain. Appenders lock this row (SELECT … FOR UPDATE) so that two nodes
-- appending for one tenant serialise; the start-up check compares it with the recomputed chain, which
-- is how a truncated tail in storage is noticed. sequence 0 / 64 zeros = empty chain.
CREATE TABLE ledger_chain_head (
    tenant_id  text        NOT NULL,
    sequence   bigint      NOT NULL,
    event_hash text        NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT ledger_chain_head_pk PRIMARY KEY (tenant_id),
    CONSTRAINT ledger_chain_head_sequence_ck CHECK (sequence >= 0),
    CONSTRAINT ledger_chain_head_hash_ck CHECK (event_hash ~ '^[0-9a-f]{64}$')
);

-- A head only ever moves forward by one entry; it is never deleted.
CREATE FUNCTION ledger_chain_head_forward_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.sequence <> OLD.sequence + 1 THEN
        RAISE EXCEPTION 'ledger_chain_head for tenant % may only advance by one (from % to %)',
            OLD.tenant_id, OLD.sequence, NEW.sequence
            USING ERRCODE = 'raise_exception';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_chain_head_forward_only
    BEFORE UPDATE ON ledger_chain_head
    FOR EACH ROW EXECUTE FUNCTION ledger_chain_head_forward_only();

CREATE TRIGGER ledger_chain_head_no_delete
    BEFORE DELETE ON ledger_chain_head
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_chain_head_no_truncate
    BEFORE TRUNCATE ON ledger_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Public keys that have signed ledger entries, published in exports and at GET /v1/ledger/keys.
-- key_id is the RFC 7638 thumbprint of public_jwk. A key is retired by setting not_after once;
-- nothing else may change, and keys are never deleted (old entries must stay verifiable).
CREATE TABLE ledger_signing_key (
    key_id            text        NOT NULL,
    public_jwk        text        NOT NULL,
    signing_algorithm text        NOT NULL,
    not_before        timestamptz NOT NULL,
    not_after         timestamptz,
    CONSTRAINT ledger_signing_key_pk PRIMARY KEY (key_id)
);

CREATE FUNCTION ledger_signing_key_retire_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.key_id <> OLD.key_id OR NEW.public_jwk <> OLD.public_jwk
        OR NEW.signing_algorithm <> OLD.signing_algorithm OR NEW.not_before <> OLD.not_before
        OR OLD.not_after IS NOT NULL OR NEW.not_after IS NULL THEN
        RAISE EXCEPTION 'ledger_signing_key %: only setting not_after once is allowed', OLD.key_id
            USING ERRCODE = 'raise_exception';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_signing_key_retire_only
    BEFORE UPDATE ON ledger_signing_key
    FOR EACH ROW EXECUTE FUNCTION ledger_signing_key_retire_only();

CREATE TRIGGER ledger_signing_key_no_delete
    BEFORE DELETE ON ledger_signing_key
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_signing_key_no_truncate
    BEFORE TRUNCATE ON ledger_signing_key
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
