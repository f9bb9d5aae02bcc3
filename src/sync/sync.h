/* sync.h — exchanging changes with other places by bundle files.
 *
 * Topology: a star.  Headquarters (the station of kind 'hq') and stations.
 * A station sends HQ every operation captured here (local_sync_ops, see
 * 011_sync.sql); HQ sends each station the policy data (reference tables,
 * stations, users) and the changes of that station's own cases and persons,
 * never another station's.  Policy rows are owned by HQ: at a station HQ's
 * value is taken as it comes.  Case data is merged per field: an incoming
 * value is written only where the field still holds the value the sender's
 * clerk saw (its base); otherwise the clash goes to the conflict queue
 * (conflicts.h) and the value here stays.  Different fields of one row merge.
 *
 * Order and replays: every bundle carries the sender's sequence range.  The
 * receiver applies each sequence number once (op ids are recorded), holds a
 * bundle that leaves a gap until the gap fills, and ignores what it already
 * has: importing a bundle twice changes nothing.
 */
#ifndef TD_SYNC_H
#define TD_SYNC_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>

typedef struct td_sync_export_report {
    char bundle[TD_UUID_LEN];
    long seq_lo, seq_hi;   /* our sequence range covered */
    long ops;              /* operations written (after scoping to the recipient) */
    long bytes;
} td_sync_export_report;

/* Writes a bundle for the enrolled peer `to` at path (atomically): every
 * operation made here the peer has not acknowledged (new_only: only those
 * not yet put in any bundle for it), scoped to what the peer may see.  Needs
 * this station's keys.  TD_ENOTFOUND for an unknown peer, TD_EDENIED for a
 * revoked one. */
td_status td_sync_export(td_db *db, const char *to, const char *path, bool new_only, td_sync_export_report *rep,
                         td_err *err);

typedef enum td_sync_outcome {
    TD_SYNC_APPLIED = 1,      /* applied (and perhaps released held bundles) */
    TD_SYNC_DUPLICATE,        /* everything in it was here already: nothing changed */
    TD_SYNC_HELD,             /* a gap before it: kept until the missing bundle arrives */
    TD_SYNC_QUARANTINED,      /* another schema version: kept, not applied */
    TD_SYNC_FORKED,           /* its history differs from what came before from that place: held, not applied */
} td_sync_outcome;

typedef struct td_sync_import_report {
    td_sync_outcome outcome;
    char from[12];
    char bundle[TD_UUID_LEN];
    long seq_lo, seq_hi;
    long applied;             /* operations applied (fields written or already equal) */
    long skipped;             /* operations already applied before */
    long conflicts;           /* new conflicts recorded */
    long released;            /* held bundles applied after this one filled their gap */
    long gap_lo, gap_hi;      /* for HELD: the missing sequence numbers */
    char missing[65];         /* for HELD: hash of the bundle it follows, when that one never arrived here */
    long fork_seq;            /* for FORKED: the sender's sequence number used by two different operations */
    long duplicates;          /* persons from the sender put in the duplicates queue (same identity document …) */
} td_sync_import_report;

/* Imports the bundle at path as `by`: checks sender (enrolled, not revoked),
 * recipient, signature, decryption to the final tag and the operation count
 * before anything is written, then applies it (without capturing it again
 * as operations made here) in transactions of about 500 operations, each
 * ending where one of the sender's transactions ends, so other writers get
 * in between.  If applying fails part-way (a full disk, a kill), the
 * transactions already committed stay, each op recorded as applied; importing
 * the same bundle again applies the rest and nothing twice.  At HQ this
 * holds for a station's bundle too: its audit rows are checked first (see
 * below), so nothing of a bundle that fails is committed; only when the
 * import also releases held bundles that bring operations is it applied in
 * one transaction (each held bundle checked before it is applied, one that
 * fails refusing the whole import).  A damaged, truncated, foreign or unsigned bundle gives
 * TD_EINVALID / TD_EDENIED with a Chinese message and changes nothing.
 *
 * The chain: every bundle names the bundle it follows (prev).  One that
 * leaves a gap in the sender's sequence is held (rep->gap_*, and
 * rep->missing names the bundle it follows when that one never arrived).  A
 * bundle whose operations reuse sequence numbers of different operations
 * already applied from that place — the sender's database was restored from
 * an old copy, or two databases use the same station keys — is a fork: it is
 * recorded as held (never applied, never released by itself) and the call
 * returns TD_ECONFLICT with a Chinese message (outcome TD_SYNC_FORKED); the
 * record of it is the only change.  At HQ, before anything is applied, the
 * sending station's audit rows the bundle adds must extend the chain HQ
 * holds of that station (seq + 1, link to the previous hash, keyed hash with
 * the station's audit key, which every station bundle carries), in the order
 * they come, and reach the anchor in its header; only those rows and the
 * chain's last row are read (`audit verify` checks every chain whole).  Rows
 * that do not refuse the bundle (TD_ECONFLICT, nothing changed). */
td_status td_sync_import(td_db *db, const td_actor *by, const char *path, td_sync_import_report *rep,
                         td_err *err);

typedef struct td_sync_peer_status {
    char code[12];
    bool revoked;
    long our_seq;             /* our newest operation */
    long sent_seq, acked_seq; /* of ours: put in a bundle / acknowledged by the peer */
    long recv_seq;            /* of theirs: applied here, contiguous up to */
    long held;                /* bundles from it held for a gap */
    char oldest_held[32];     /* when the oldest held bundle arrived ("" if none) */
    long open_conflicts;      /* open conflicts from its edits */
    long held_overdue;        /* held longer than the setting sync_hold_days (default 5) */
    long forked;              /* of the held: forks (never applied by themselves; see td_sync_import) */
    int hold_days;
} td_sync_peer_status;

/* Calls cb for every enrolled peer (by code); stops when cb returns non-zero.
 * A bundle held longer than the local setting sync_hold_days (default 5, as
 * ODK Central holds an out-of-order submission) counts in held_overdue. */
td_status td_sync_status_each(td_db *db, int (*cb)(const td_sync_peer_status *p, void *ud), void *ud,
                              td_err *err);

/* Is this database the headquarters (its station's kind is 'hq')? */
bool td_sync_is_hq(td_db *db);

#endif
