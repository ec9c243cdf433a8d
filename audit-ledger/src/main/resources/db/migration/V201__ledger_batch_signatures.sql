-- Ledger format v2: an entry may be signed as part of its append batch (signing_algorithm
-- 'ES256-MERKLE', docs/ledger-format.md section 4.2). Its kms_signature then covers the batch's
-- Merkle tree root, and these columns hold the entry's inclusion proof: its position among the
-- batch's leaves, the number of leaves, and the sibling hashes from the leaf up (32 bytes each,
-- concatenated). Entries signed on their own ('ES256', format v1) have none. Like kms_signature,
-- the proof is not part of event_hash: it is checked by recomputing the signed root from it.
ALTER TABLE ledger_entry
    ADD COLUMN merkle_leaf_index bigint,
    ADD COLUMN merkle_tree_size  bigint,
    ADD COLUMN merkle_path       bytea,
    -- all three or none; whether they belong with the signing algorithm is the verifier's to judge
    ADD CONSTRAINT ledger_entry_merkle_proof_ck CHECK (
        (merkle_leaf_index IS NULL AND merkle_tree_size IS NULL AND merkle_path IS NULL)
        OR (merkle_leaf_index >= 0 AND merkle_leaf_index < merkle_tree_size
            AND octet_length(merkle_path) % 32 = 0));
