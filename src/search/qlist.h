/* qlist.h — the work queues as screens page them (我的案件, each state, 联审
 * pending, overdue, closed, all): keyset pages, capped counts and
 * find-in-list, every statement an index range scan that matches the
 * queue's filter and order (schema 009), so that a page, a count and a find
 * cost the same whatever a clerk's history or the table's size.
 *
 * Order: (ord, rowid) descending (newest first), ascending for the overdue
 * queue (earliest deadline first).  A row is its own keyset anchor: pass it
 * back to get the rows after or before it.  The UI (ui/scr_queue.c) and the
 * CLI read queues through this API only.
 */
#ifndef TD_QLIST_H
#define TD_QLIST_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"
#include "cases/case.h"

#include <stdbool.h>

typedef struct td_qlist_row {
    sqlite3_int64 rowid;
    char ord[TD_TS_LEN];          /* the sort key (updated_at, or due_date) */
    char id[TD_UUID_LEN];
    char case_no[TD_CASE_NO_LEN];
    char name[160];
    char state[24];
    char due[TD_DATE_LEN];
    char updated[TD_TS_LEN];
    char tier[64];
} td_qlist_row;

typedef struct td_qlist td_qlist;

/* Number of queues, and queue i's title (an N_() msgid: pass it to _()). */
int td_qlist_count_queues(void);
const char *td_qlist_title(int q);

/* The queue named `name` (its English title, or its 1-based number), or -1. */
int td_qlist_lookup(const char *name);

/* The queue of cases in workflow state `state` ("intake", "closed", …), or
 * -1 when that state has no queue of its own. */
int td_qlist_for_state(const char *state);

/* The queue a user with roles (td_role bits) starts on after signing in:
 * 我的案件 for the front desk (clerk, station), else the step the role
 * decides — 待联审会签 (signer), 审批 (approver), 人才认定 (reviewer), 服务办理
 * (specialist), 全部案件 (admin); queue 0 when no role matches. */
int td_qlist_default_for_roles(unsigned roles);

/* Opens queue q for user_id ("My cases"); signer_dept is the department of
 * a signer ("" = every department) for the sign-off queue; today
 * (YYYY-MM-DD) is the overdue cut-off.  Copies its arguments.  Returns NULL
 * with err set when a statement cannot be prepared.  Close with
 * td_qlist_close. */
td_qlist *td_qlist_open(td_db *db, int q, const char *user_id, const char *signer_dept, const char *today,
                        td_err *err);
void td_qlist_close(td_qlist *ql);

/* Opens queue q as `actor` works it — what every front end (the TUI's queue
 * screen, `talentdesk queue`) calls, so that both list the same rows:
 * "My cases" are the actor's, and a signer sees the sign-off queue of their
 * own department only, and every page, count and find is restricted to the
 * actor's record scope (cases/scope.h; td_qlist_open applies none).  actor
 * is copied.  Ownership and errors as td_qlist_open. */
td_qlist *td_qlist_open_as(td_db *db, int q, const td_actor *actor, const char *today, td_err *err);

/* Fills anchor with the keyset position of case `case_id` (its sort key
 * `ord` as a row of this queue printed it, and its rowid), for paging from a
 * cursor a caller kept as text.  TD_OK, TD_ENOTFOUND (no such case, err
 * set) or TD_EDB. */
td_status td_qlist_anchor(td_qlist *ql, const char *ord, const char *case_id, td_qlist_row *anchor,
                          td_err *err);

/* Pages, each filling out[0..n) in display order and returning the number
 * of rows written (fewer at an end), or -1 on a database error (err set):
 *  first  — the top of the queue;
 *  last   — the n rows at its end;
 *  after  — the n rows after `anchor` (inclusive: from anchor itself, when
 *           it is still there — for reloading a screen in place);
 *  before — the n rows before `anchor`. */
int td_qlist_first(td_qlist *ql, int n, td_qlist_row *out, td_err *err);
int td_qlist_last(td_qlist *ql, int n, td_qlist_row *out, td_err *err);
int td_qlist_after(td_qlist *ql, const td_qlist_row *anchor, bool inclusive, int n, td_qlist_row *out,
                   td_err *err);
int td_qlist_before(td_qlist *ql, const td_qlist_row *anchor, int n, td_qlist_row *out, td_err *err);

/* Counts, at most `cap` rows (cap > 0; an index range scan of at most cap
 * entries): the whole queue, the rows after anchor, the rows before it.
 * A result equal to cap means "cap or more".  -1 on error. */
long td_qlist_count(td_qlist *ql, long cap, td_err *err);
long td_qlist_count_after(td_qlist *ql, const td_qlist_row *anchor, long cap, td_err *err);
long td_qlist_count_before(td_qlist *ql, const td_qlist_row *anchor, long cap, td_err *err);

/* Find-in-list: the first row after (dir > 0) or before (dir < 0) anchor
 * (NULL = from the top, or the end when dir < 0), in the queue's order,
 * whose person matches text as `talentdesk search` would match it — name
 * exact or prefix (traditional and simplified folded), pinyin initials or
 * full pinyin, identity number, whole mobile number (+86, spaces, dashes
 * allowed) — or whose case number starts with text.  A case of a deleted
 * person is never a hit (and never hides the next one).  The cost follows
 * what the text means, never the queue or the table: pinyin initials,
 * and a name that means more than a few dozen persons, are read from
 * local_case_find (schema 026: each case's person initials and name beside
 * its queue keys) in queue order from the anchor, each entry tested
 * against the queue's filter, so a hit costs about 1 / (the queue's share
 * of the cases) entries whatever the number of namesakes; for the text's
 * other meanings (and every other text) the persons it can
 * mean are gathered from the search indexes (none: no queue read), then
 * the queue's own rows from the anchor are tested against them (index
 * entries only, schema 019) for a budget proportional to their number, and
 * the candidates' own cases in the queue (one index seek each) answer when
 * the budget runs out; a pinyin text first tests the next few rows' stored
 * keys, and one that means thousands of persons walks on that way.  Pinyin
 * keys of new and renamed persons are brought up to date first.  Returns 1
 * (hit filled), 0 (none) or -1 (err set).  TALENTDESK_QLIST_FIND=probe|walk|
 * short|match forces one plan of the candidates, local_case_find unread
 * (tests: each answers the same rows as the default). */
int td_qlist_find(td_qlist *ql, const char *text, const td_qlist_row *anchor, int dir, td_qlist_row *hit,
                  td_err *err);

/* td_qlist_find keeps the candidates it gathered for a text (the persons
 * it can mean) while the database is unchanged, so that n and N find the
 * same text again without gathering them again; this drops them, so that
 * the next find starts afresh (what the bench times as the first `/`).
 * Never needed for correctness: any commit, by this connection or
 * another, drops them too. */
void td_qlist_find_forget(td_qlist *ql);

/* Statements of queue q for EXPLAIN QUERY PLAN checks: index i in
 * [0, TD_QLIST_NSQL), NULL past the end and for a statement the queue
 * does not have (the overdue queue's name finds).  The text of statement i is also
 * what td_qlist_* runs. */
#define TD_QLIST_NSQL 29
const char *td_qlist_sql(td_qlist *ql, int i);

#endif
