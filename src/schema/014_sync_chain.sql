-- 014_sync_chain.sql — the chain of bundles between two places (src/sync/).
--
-- Every bundle names the bundle it follows ("prev": the hash of the previous
-- bundle made for that recipient, or of the last one the recipient said it
-- applied, for a full re-export).  The receiver keeps the hash and prev of
-- every bundle it received, so a bundle that follows one never seen here is
-- held (a gap), and one whose operations reuse sequence numbers of other
-- operations already here is held as a fork (the sender was restored from an
-- old copy, or the file was forged with the sender's key) — never applied.
-- All local tables: they never travel.

ALTER TABLE local_sync_bundles ADD COLUMN hash TEXT;      -- BLAKE2b-256 of the file, hex
ALTER TABLE local_sync_bundles ADD COLUMN prev TEXT;      -- the hash of the bundle it follows ('' = none)
CREATE INDEX local_sync_bundles_hash ON local_sync_bundles(from_station, hash);

-- the hash of our newest bundle the peer says it applied (sent back as ack_hash)
ALTER TABLE local_sync_peers ADD COLUMN acked_hash TEXT;

-- bundles applied before this migration: the last one of each peer is known by hash
UPDATE local_sync_bundles SET hash = (SELECT p.last_bundle_hash FROM local_sync_peers p
                                      WHERE p.last_bundle = local_sync_bundles.id)
 WHERE hash IS NULL;

-- The same person registered at two places (the same identity document at
-- two stations) must reach HQ as two persons and wait in the duplicates
-- queue (dupe_candidates, kind 'exact'), never be dropped nor merged
-- silently: the identity document is unique per registering station.  Within
-- one place person add / update / import still refuse a second person with
-- the same document (src/people/person.c find_dup, src/io/import.c).
DROP INDEX persons_idno;
CREATE UNIQUE INDEX persons_idno ON persons(id_type, id_no, station_id) WHERE deleted_at IS NULL;
