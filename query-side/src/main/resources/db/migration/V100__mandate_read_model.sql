-- The mandate read model, built from the Kafka event stream by MandateProjection.
-- (mandate_id, version) is the idempotency key: an event is applied only if its aggregate
-- sequence number is newer than the stored version, so redelivery changes nothing.
CREATE TABLE mandate_view (
    mandate_id           VARCHAR(40)  PRIMARY KEY,
    tenant_id            VARCHAR(40)  NOT NULL,
    version              BIGINT       NOT NULL,
    status               VARCHAR(16)  NOT NULL,
    principal_type       VARCHAR(64)  NOT NULL,
    principal_subject_id VARCHAR(512) NOT NULL,
    delegate_type        VARCHAR(64)  NOT NULL,
    delegate_subject_id  VARCHAR(512) NOT NULL,
    scope                JSONB        NOT NULL,
    constraints          JSONB        NOT NULL,
    metadata             JSONB        NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    updated_at           TIMESTAMPTZ  NOT NULL,
    expires_at           TIMESTAMPTZ,
    last_event_id        VARCHAR(64)  NOT NULL
);

CREATE INDEX mandate_view_tenant_idx ON mandate_view (tenant_id, mandate_id DESC);
CREATE INDEX mandate_view_tenant_status_idx ON mandate_view (tenant_id, status, mandate_id DESC);
