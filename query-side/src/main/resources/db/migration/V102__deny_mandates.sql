-- The DENY-effect mandates that are not revoked or expired, by delegate. Written, like
-- mandate_authority, by MandateAuthorityProjection in the transaction of the event that changes
-- them. Before a verification answers ALLOW it checks that the in-memory index knew every one of
-- the delegate's rows here when it decided, so no ALLOW follows an acknowledged DENY mandate
-- (docs/verification.md, "Freshness").
CREATE TABLE deny_mandate (
    mandate_id          VARCHAR(40)  PRIMARY KEY,
    tenant_id           VARCHAR(40)  NOT NULL,
    delegate_subject_id VARCHAR(512) NOT NULL
);

CREATE INDEX deny_mandate_delegate_idx ON deny_mandate (tenant_id, delegate_subject_id);

-- DENY mandates granted before this table: as the read model last saw them.
INSERT INTO deny_mandate (mandate_id, tenant_id, delegate_subject_id)
SELECT mandate_id, tenant_id, delegate_subject_id FROM mandate_view
WHERE scope ->> 'effect' = 'DENY' AND status NOT IN ('REVOKED', 'EXPIRED');
