/* search.h — finding persons and cases from one search box.
 *
 * Every query goes through an index, never a LIKE '%…%' scan:
 *  - names: exact and prefix on persons(name) ("张三" finds 张三 first, then
 *    张三丰; "张" finds every 张…), which works for two-character names —
 *    FTS5's trigram tokenizer cannot (../shared/docs/pitfalls.md);
 *  - identity numbers: exact on persons(id_no) (any type; lower-case x and
 *    full-width digits folded), and a prefix of ≥ 6 characters;
 *  - mobile numbers: exact on persons(phone) after removing +86, spaces, dashes;
 *  - case numbers: exact or prefix on cases(case_no) ("CQ-2026-0001…").
 *  - pinyin: a query of ASCII letters also matches the initials ("zs" → 张三)
 *    and the full pinyin ("zhangsan", "zhang" → 张…) of names, through the
 *    local local_person_pinyin table (ICU Han-Latin/Names readings, src/people/pinyin.h).
 * Merged and soft-deleted persons are not found.  Work queues (paged lists
 * of cases by state) are src/search/qlist.h.
 */
#ifndef TD_SEARCH_H
#define TD_SEARCH_H

#include "cases/case.h"
#include "base/db.h"
#include "base/err.h"
#include "people/idcheck.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>

typedef enum td_search_kind {
    TD_SEARCH_AUTO = 0,  /* decide from the shape of the query */
    TD_SEARCH_NAME,
    TD_SEARCH_ID,
    TD_SEARCH_PHONE,
    TD_SEARCH_CASE
} td_search_kind;

/* The kind TD_SEARCH_AUTO picks for q: a case number (letters, '-', digits
 * with a '-'), an 11-digit mobile (after +86 / separators), an identity
 * number (≥ 8 characters of digits and letters with ≥ 6 digits, or H/M + 8
 * digits), otherwise a name. */
td_search_kind td_search_classify(const char *q);

typedef struct td_search_hit {
    bool is_case;                     /* a case (case_no, state set) or a person */
    char person_id[TD_UUID_LEN];
    char name[256];
    char id_type[16];
    char id_no_masked[TD_IDNO_LEN];
    char phone[24];
    char birth_date[TD_DATE_LEN];
    char case_id[TD_UUID_LEN];
    char case_no[TD_CASE_NO_LEN];
    char state[24];
} td_search_hit;

/* Runs the search; calls cb for each hit (borrowed for the call), at most
 * limit (0 = 50), exact matches before prefix matches, then pinyin matches;
 * stops early when cb returns non-zero.  *kind_out (may be NULL) gets the
 * kind used.  An empty query finds nothing.  Reads only, except that a
 * pinyin query first brings the pinyin keys up to date (a short write
 * transaction, skipped when one is open or the database is busy). */
td_status td_search(td_db *db, const char *q, td_search_kind kind, int limit,
                    int (*cb)(const td_search_hit *h, void *ud), void *ud, td_search_kind *kind_out,
                    td_err *err);

/* td_search for the signed-in user a, mobile numbers masked as a may see
 * them (people/mask.h td_pii_view): hits outside a's record scope
 * (cases/scope.h — a case out of scope, a person none of whose cases is in
 * scope) are left out, silently (a search is not a refusal).  The limit
 * counts the hits before that filter, so fewer may come back. */
td_status td_search_as(td_db *db, const td_actor *a, const char *q, td_search_kind kind, int limit,
                       int (*cb)(const td_search_hit *h, void *ud), void *ud, td_search_kind *kind_out,
                       td_err *err);

/* Adds pinyin keys for persons added since the last call (watermark on the
 * persons rowid; settings.pinyin_rowid), and the keys (pinyin, folded name,
 * sort key) of persons renamed since — by any write path, sync apply
 * included: schema 019's trigger queues them in local_person_rekey and drops
 * their old pinyin at once.  Own transaction; no-op inside one.  *added (may
 * be NULL) gets the number of names indexed. */
td_status td_search_refresh_pinyin(td_db *db, long *added, td_err *err);

/* Case counts of n persons in one query (through cases_person): counts[i]
 * gets the number of live cases of person_ids[i].  TD_EDB on error. */
td_status td_search_case_counts(td_db *db, const char *const *person_ids, int n, long *counts, td_err *err);

/* Rebuilds local_case_find (schema 026: each live case's person initials
 * and queue keys, which find-in-list reads) from cases and the persons'
 * pinyin keys, in one write transaction (BEGIN IMMEDIATE).  Triggers keep
 * it in step with every write; a rebuild is for a file whose case rowids a
 * VACUUM may have renumbered (backups, src/setup/backup.c).  TD_OK, or an
 * error status with err set and nothing changed.
 * td_search_case_keys_sql is the same statement, for a raw handle. */
td_status td_search_rebuild_case_keys(td_db *db, td_err *err);
const char *td_search_case_keys_sql(void);

/* The SQL each kind runs, for EXPLAIN QUERY PLAN checks in tests and bench. */
const char *td_search_sql(td_search_kind kind, bool prefix);
const char *td_search_pinyin_sql(bool initials);
/* The folded-name stage (local_person_fold, traditional → simplified). */
const char *td_search_fold_sql(void);

#endif
