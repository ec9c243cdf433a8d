-- The same rule for the stored hashes (64 lowercase hex digits), checked more cheaply.
--
-- PostgreSQL's regex engine turns '^[0-9a-f]{64}$' into a 64-state automaton whose state cache
-- misses on every row: about 12 µs per value on the development machine, and three values per
-- appended entry (two hashes of the entry, one of its chain head). A profile of the ledger's
-- database backend under load put 17% of its CPU in these checks (BENCHMARKS.md, "What the
-- database does per decision"). A length test and a one-character class refuse exactly the same
-- strings (anything but 64 characters, each one of 0-9 or a-f) in about a fifth of the time.
--
-- Adding a constraint checks the rows already stored once, at the upgrade (a few seconds per
-- million entries). ALTER TABLE does not fire the append-only trigger.
ALTER TABLE ledger_entry
    DROP CONSTRAINT ledger_entry_previous_hash_ck,
    DROP CONSTRAINT ledger_entry_event_hash_ck,
    ADD CONSTRAINT ledger_entry_previous_hash_ck
        CHECK (length(previous_event_hash) = 64 AND previous_event_hash !~ '[^0-9a-f]'),
    ADD CONSTRAINT ledger_entry_event_hash_ck
        CHECK (length(event_hash) = 64 AND event_hash !~ '[^0-9a-f]');

ALTER TABLE ledger_chain_head
    DROP CONSTRAINT ledger_chain_head_hash_ck,
    ADD CONSTRAINT ledger_chain_head_hash_ck
        CHECK (length(event_hash) = 64 AND event_hash !~ '[^0-9a-f]');
