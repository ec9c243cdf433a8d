-- Real-time verification (docs/verification.md).

-- The authoritative status of every mandate, written by MandateAuthorityProjection in the same
-- transaction as the event that changes it (a subscribing processor on the local event bus). A
-- verification that would ALLOW checks this row, so no ALLOW follows an acknowledged suspend or
-- revoke, whatever the in-memory index has seen yet. version = the aggregate's sequence number.
CREATE TABLE mandate_authority (
    mandate_id VARCHAR(40) PRIMARY KEY,
    tenant_id  VARCHAR(40) NOT NULL,
    status     VARCHAR(16) NOT NULL,
    version    BIGINT      NOT NULL
);

-- Mandates that existed before this table: their last known state.
INSERT INTO mandate_authority (mandate_id, tenant_id, status, version)
SELECT mandate_id, tenant_id, status, version FROM mandate_view;

-- Consumption of stateful constraints, per mandate, kind and epoch-aligned window:
-- kind 'rate' counts uses, kind 'budget' sums amounts. Consumed with one conditional upsert per
-- kind in one transaction, so concurrent verifications never exceed a limit, on any number of nodes.
CREATE TABLE constraint_usage (
    mandate_id   VARCHAR(40)    NOT NULL,
    kind         VARCHAR(8)     NOT NULL,
    window_start BIGINT         NOT NULL,
    used_count   BIGINT         NOT NULL,
    used_amount  NUMERIC(38, 6) NOT NULL,
    PRIMARY KEY (mandate_id, kind, window_start),
    CONSTRAINT constraint_usage_kind_ck CHECK (kind IN ('rate', 'budget'))
);
