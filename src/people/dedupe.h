/* dedupe.h — duplicate persons (数据清洗比对): found at intake, at import and
 * by a scan; listed as candidates; merged only by a person (clerk or admin),
 * audited and reversible.
 *
 * Kinds: exact — the same identity document (type and number); probable —
 * the same name and birth date, or the same name and mobile number.  A merge
 * folds one person into another: the merged person's cases move to the kept
 * person, the merged row gets merged_into and is soft-deleted, and a
 * person_merges row records what moved so that td_dupe_unmerge restores it.
 */
#ifndef TD_DEDUPE_H
#define TD_DEDUPE_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "idcheck.h"
#include "person.h"
#include "base/uuid.h"

#include <stdbool.h>

typedef enum td_dup_kind {
    TD_DUP_EXACT = 1,     /* same identity document */
    TD_DUP_NAME_BIRTH,    /* same name and birth date */
    TD_DUP_NAME_PHONE     /* same name and mobile */
} td_dup_kind;

/* Stored code ("exact", "name_birth", "name_phone") and translated label. */
const char *td_dup_kind_code(td_dup_kind k);
const char *td_dup_kind_name(td_dup_kind k);

typedef struct td_dup_match {
    td_dup_kind kind;
    char person_id[TD_UUID_LEN];
    char name[256];
    char id_type[16];
    char id_no_masked[TD_IDNO_LEN];
    char birth_date[TD_DATE_LEN];
    char phone[24];
} td_dup_match;

#define TD_DUP_MAX 16

/* Intake check, called by the TUI and CLI before td_person_add with the
 * person as typed: validates a copy (td_person_validate) and lists live
 * persons that may be the same one, strongest kind first, at most max
 * (≤ TD_DUP_MAX), excluding p->id when set.  *n = 0 when none.  Returns
 * TD_EINVALID (err filled) when p does not validate; reads only. */
td_status td_dupe_check(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err);

/* As td_dupe_check for a person already validated and normalised (no copy,
 * no validation).  Usable inside a transaction. */
td_status td_dupe_find(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err);

/* Only the probable kinds (name + birth date, name + mobile): for callers
 * that have just looked up the identity document themselves (import). */
td_status td_dupe_find_probable(td_db *db, const td_person *p, td_dup_match *out, int max, int *n, td_err *err);

/* Records the candidate pair (a, b) of the given kind, found at `source`
 * ("intake", "import", "scan"); a pair already recorded is left as it is.
 * Must run inside the caller's write transaction; audits "dupe.found".
 * *added (may be NULL) tells whether a new row was written. */
td_status td_dupe_record(td_db *db, const td_actor *by, const char *a, const char *b, td_dup_kind kind,
                         const char *source, bool *added, td_err *err);

/* Finds the probable duplicates of the stored person person_id and records
 * them as candidates from `source`.  Opens its own transaction unless one is
 * open.  *found (may be NULL) gets the number of new candidates.  Clerk,
 * station operator or admin. */
td_status td_dupe_note(td_db *db, const td_actor *by, const char *person_id, const char *source, int *found,
                       td_err *err);

/* Scans live persons for groups with the same blocking key — name and birth
 * date, name and mobile, identity document — through indexes, and records
 * each member of a group as a candidate with the group's oldest member (k - 1
 * candidates for k namesakes, linear, not all pairs).  Clerk or admin.
 * Must be called outside a transaction: writes in short transactions of at
 * most opts->batch pairs (default 200) with a pause between them, so other
 * writers are not kept waiting; a failure keeps the batches already written
 * (re-running finds nothing twice).  With opts->incremental only the groups
 * of persons changed since the previous scan are looked at.  progress (may
 * be NULL) is called after each batch with groups done and groups in all.
 * *found counts new candidates. */
typedef struct td_dupe_scan_opts {
    bool incremental;
    int batch;        /* candidate pairs per transaction; <= 0 means 200 */
    int pause_ms;     /* pause between transactions; <= 0 means 5 */
    void (*progress)(void *ud, long done, long total);
    void *progress_ud;
} td_dupe_scan_opts;
td_status td_dupe_scan_ex(td_db *db, const td_actor *by, const td_dupe_scan_opts *opts, long *found, td_err *err);

/* td_dupe_scan_ex with the defaults (a full scan). */
td_status td_dupe_scan(td_db *db, const td_actor *by, long *found, td_err *err);

typedef struct td_dupe_candidate {
    char id[TD_UUID_LEN];
    td_dup_kind kind;
    char source[12];
    char status[12];
    char created_at[TD_TS_LEN];
    td_dup_match a, b;       /* kind field unused */
} td_dupe_candidate;

/* Calls cb for each candidate with status `status` ("open", "merged",
 * "dismissed", or NULL for all), oldest first; stops when cb returns
 * non-zero.  The record is borrowed for the call. */
td_status td_dupe_list(td_db *db, const char *status, int (*cb)(const td_dupe_candidate *c, void *ud), void *ud,
                       td_err *err);

/* Marks a candidate as not a duplicate.  Clerk or admin.  Own transaction. */
td_status td_dupe_dismiss(td_db *db, const td_actor *by, const char *candidate_id, const char *reason,
                          td_err *err);

/* Merges person merged_id into kept_id (clerk or admin only): moves the
 * cases, marks merged_id merged and soft-deleted, closes the candidates of
 * the pair, and audits every change with the reason.  Fills merge_id.
 * TD_ENOTFOUND / TD_EINVALID (same person, already merged) / TD_EDENIED.
 * Own transaction. */
td_status td_dupe_merge(td_db *db, const td_actor *by, const char *kept_id, const char *merged_id,
                        const char *reason, char merge_id[TD_UUID_LEN], td_err *err);

/* Reverses a merge (clerk or admin): the moved cases go back, the merged
 * person is live again, the candidates reopen; audited.  TD_ECONFLICT when
 * the merge was already reversed or a live person now holds the same
 * identity document.  Own transaction. */
td_status td_dupe_unmerge(td_db *db, const td_actor *by, const char *merge_id, const char *reason, td_err *err);

#endif
