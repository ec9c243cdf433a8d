-- The Merkle proof columns (V201): all three or none. V201's check let (0, 5, NULL) and
-- (NULL, NULL, <32 bytes>) through, since a comparison with NULL is NULL and a CHECK passes on
-- NULL. num_nonnulls counts them instead.
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_merkle_proof_ck;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_merkle_proof_ck CHECK (
    num_nonnulls(merkle_leaf_index, merkle_tree_size, merkle_path) = 0
    OR (num_nonnulls(merkle_leaf_index, merkle_tree_size, merkle_path) = 3
        AND merkle_leaf_index >= 0 AND merkle_leaf_index < merkle_tree_size
        AND octet_length(merkle_path) % 32 = 0));
