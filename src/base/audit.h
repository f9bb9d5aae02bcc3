/* audit.h — the append-only, hash-chained audit log.
 *
 * Every action that changes a case, a person or policy appends a row: who,
 * when, station, case, action, entity, field, old → new, reason.  Each station
 * keeps its own chain: seq 1, 2, 3 …, each row linking to the previous one's
 * hash, and
 *   hash = "k1:" hex(BLAKE2b-256 keyed with the station key (stationkey.h)
 *          over every other column of the row, deleted_at included)
 * so that without the key file no one can edit a row, forge or append one,
 * or mark one deleted and still verify.  The newest row is also recorded
 * with its own keyed check in settings "audit.head" (removing the newest
 * rows is then seen), and td_audit_anchor prints each chain's head for a
 * printed report or a sync bundle, against which td_audit_verify_anchor
 * detects a chain cut short even when the head record went with it.
 * Rows from before migration 005 (plain SHA-256) verify only as a prefix.
 */
#ifndef TD_AUDIT_H
#define TD_AUDIT_H

#include "actor.h"
#include "db.h"
#include "err.h"

/* Appends one row.  Must be called inside the caller's write transaction so
 * that the action and its audit row commit or fail together.  Any string may
 * be NULL.  Returns TD_OK or TD_EDB. */
td_status td_audit(td_db *db, const td_actor *by, const char *case_id, const char *action,
                   const char *entity, const char *entity_id, const char *field,
                   const char *old_value, const char *new_value, const char *reason, td_err *err);

#define TD_AUDIT_HASH_LEN 68 /* "k1:" + 64 hex + NUL */

typedef struct td_audit_report {
    long rows;               /* rows checked */
    int chains;              /* stations */
    char bad_id[64];         /* id of the first broken row, "" when intact */
    long bad_seq;
    char bad_station[12];
    char problem[256];       /* what is wrong with it (translated) */
    int unverified;          /* chains of other places checked only for links (their key is not kept here) */
} td_audit_report;

/* Recomputes every chain and checks the local chain's end against the
 * authenticated head, and the other places' chains against the anchors kept
 * here (td_audit_anchor_keep).  Another place's chain is recomputed with its
 * key when one is kept (stationkey.h td_station_key_peer: HQ keeps its
 * stations'), else only its links are checked (rep->unverified).  TD_OK with rep->bad_id empty when intact;
 * TD_ECONFLICT with rep filled (and err naming the row, or the last good
 * row when rows are missing at the end) when a row was altered, inserted,
 * marked deleted or removed; TD_EIO when the station key file is needed and
 * missing. */
td_status td_audit_verify(td_db *db, td_audit_report *rep, td_err *err);

/* Calls fn(station code, seq, hash) for the newest row of every chain, in
 * station-code order (fn returns non-zero to stop).  Strings are borrowed for
 * the call. */
td_status td_audit_anchor(td_db *db, int (*fn)(const char *station_code, long seq, const char *hash, void *ud),
                          void *ud, td_err *err);

/* Checks the log against an anchor: lines "CODE SEQ HASH" (the output of
 * `talentdesk audit anchor`; '#' lines ignored) or a single HASH.  Each
 * anchored row must still be there with that hash.  TD_ECONFLICT with rep
 * filled when the chain was cut short or rewritten; TD_EINVALID for text
 * that is not an anchor. */
td_status td_audit_verify_anchor(td_db *db, const char *anchor, td_audit_report *rep, td_err *err);

/* Verifies the chain of station station_id (another place) with its kept
 * key, the anchors kept for it, and that its row anchor_seq still carries
 * anchor_hash (anchor_seq 0: no anchor given).  TD_ENOTFOUND when no key of
 * that station is kept; otherwise as td_audit_verify. */
td_status td_audit_verify_station(td_db *db, const char *station_id, long anchor_seq, const char *anchor_hash,
                                  td_audit_report *rep, td_err *err);

/* Remembers (seq, hash) as the anchor of station station_id's chain (in
 * settings "audit.anchor.<id>"), unless a later one is kept; every
 * td_audit_verify then checks that row is still there with that hash.  Call
 * inside the caller's write transaction. */
td_status td_audit_anchor_keep(td_db *db, const char *station_id, long seq, const char *hash, td_err *err);

/* Checking, row by row, rows that are to extend station station_id's chain
 * as held here (a station's rows arriving at HQ in a bundle), without
 * re-reading the chain: td_audit_verify remains the full check.  Open reads
 * the chain's last row here (re-hashed with the station's kept key) and
 * checks the anchor kept for it (td_audit_anchor_keep); each row must then
 * follow the last one checked (seq + 1, prev_hash = its hash, not marked
 * deleted, keyed hash made with the station's key; unauthenticated legacy
 * rows only before the first authenticated one); close checks that the
 * chain reaches row anchor_seq with hash anchor_hash (anchor_seq 0: no
 * anchor), among the rows checked or those held here.  The struct is the
 * caller's (on its stack); close wipes the key it holds and must be called
 * whenever open succeeded.  Each returns TD_OK, or TD_ECONFLICT with rep and
 * err naming the row and the problem (translated); open gives TD_ENOTFOUND
 * when no key of that station is kept here, TD_EDB on a database error. */
#define TD_AUDIT_EXT_COLS 19 /* id … prev_hash, created_at, updated_at, row_version, deleted_at, hash */
typedef struct td_audit_ext {
    char station[TD_UUID_LEN];
    char code[12];                 /* the station's code here, for messages */
    long seq;                      /* the last row: held here or checked */
    char hash[TD_AUDIT_HASH_LEN];  /* its hash (64 zeros when the chain is empty) */
    bool keyed;                    /* an authenticated row seen: no legacy row may follow */
    long anchor_seq;               /* to be reached (0: none) */
    char anchor_hash[TD_AUDIT_HASH_LEN];
    bool anchor_seen, anchor_bad;  /* row anchor_seq among the rows checked; its hash differs */
    long checked;                  /* rows checked */
    unsigned char key[32];
} td_audit_ext;

td_status td_audit_extend_open(td_db *db, const char *station_id, long anchor_seq, const char *anchor_hash,
                               td_audit_ext *x, td_audit_report *rep, td_err *err);

/* Checks one row: f[] in the order of TD_AUDIT_EXT_COLS (every column of
 * audit_log but hash, in table order, then hash; seq and row_version as
 * decimal text; NULL for SQL NULL).  The strings are borrowed for the call. */
td_status td_audit_extend_row(td_audit_ext *x, const char *const f[TD_AUDIT_EXT_COLS], td_audit_report *rep,
                              td_err *err);

td_status td_audit_extend_close(td_db *db, td_audit_ext *x, td_audit_report *rep, td_err *err);

#endif
