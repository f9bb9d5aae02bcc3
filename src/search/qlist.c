/* qlist.c — see qlist.h.
 *
 * Each queue is one or two "arms": an index (INDEXED BY, so that the plan
 * does not depend on statistics) and a filter that implies the index's
 * partial condition.  我的案件 is two arms — cases the clerk took in, and
 * cases assigned to them that they did not take in — merged in order by a
 * compound SELECT (each arm an ordered index scan, no sort, no OR over two
 * indexes).  Counts are LIMITed subqueries over the same index ranges. */
#include "qlist.h"

#include "base/i18n.h"
#include "base/text.h"
#include "people/namefold.h"
#include "people/pinyin.h"
#include "search.h"
#include "cases/scope.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The queues' filters, exactly as the indexes of 009_queues.sql hold them. */
#define QX_OPEN_INTAKE "(CASE WHEN c.deleted_at IS NULL AND c.state NOT IN ('closed','rejected','withdrawn') THEN c.intake_by END)"
#define QX_OPEN_ASSIGNEE "(CASE WHEN c.deleted_at IS NULL AND c.state NOT IN ('closed','rejected','withdrawn') AND c.assignee_id IS NOT c.intake_by THEN c.assignee_id END)"
#define QX_OPEN_DUE "(CASE WHEN c.deleted_at IS NULL AND c.state NOT IN ('closed','rejected','withdrawn') THEN c.due_date END)"
#define QX_OPEN_SPECIALIST "(CASE WHEN c.deleted_at IS NULL AND c.state NOT IN ('closed','rejected','withdrawn') AND c.specialist_id IS NOT c.intake_by AND c.specialist_id IS NOT c.assignee_id THEN c.specialist_id END)"
#define QX_LIVE_STATE "(CASE WHEN c.deleted_at IS NULL THEN c.state END)"

typedef struct arm {
    const char *index;
    const char *where; /* ?1 user, ?2 today, ?8 signer's department */
    /* the filter when a key condition bounds the sort key from above
     * (NULL: the same; %s is the bound's parameter): the overdue queue's "< today" would otherwise be the
     * upper bound SQLite seeks by, reading from today down to the anchor; an
     * anchor of the queue is below today, so its bound alone suffices */
    const char *where_below;
    /* the arm's index with the person after the key (schema 019), for
     * find's membership walk; NULL: `index` (its rows lie in table order) */
    const char *walk_index;
    /* the arm's index with the person right after its filter (schema 019),
     * for find's probe: a candidate's cases in the queue in one seek */
    const char *probe_index;
} arm;

typedef struct qdef {
    const char *title; /* N_() */
    const char *state; /* the workflow state of a state queue, else NULL */
    const char *ord;
    bool asc;
    /* the sort key is an index expression: SQLite bounds an index range by
     * a row value's first term only when that term is a column, so each key
     * condition on it also gets the scalar bound it implies (key_cond) */
    bool expr_key;
    int narms;
    arm arms[3];
} qdef;

/* The filters are the generated columns of schema 009, each NULL outside
 * its queue, so that the index holds the whole filter. */
#define STATE_Q(title, st) \
    { title, st, "c.updated_at", false, false, 1, { { "cases_q_state", QX_LIVE_STATE " = '" st "'", NULL, "cases_q_state_p", "cases_q_state_person" } } }

static const qdef queues[] = {
    /* 我的案件: open cases the clerk took in, is assigned, or follows as the
     * person's service specialist (schema 018) — three disjoint arms */
    { N_("My cases"), NULL, "c.updated_at", false, false, 3,
      { { "cases_q_mine_intake", QX_OPEN_INTAKE " = ?1", NULL, "cases_q_mine_intake_p", "cases_q_mine_intake_person" },
        { "cases_q_mine_assignee", QX_OPEN_ASSIGNEE " = ?1", NULL, "cases_q_mine_assignee_p", "cases_q_mine_assignee_person" },
        { "cases_q_mine_specialist", QX_OPEN_SPECIALIST " = ?1", NULL, "cases_q_mine_specialist_p", "cases_q_mine_specialist_person" } } },
    STATE_Q(N_("Intake"), "intake"),
    STATE_Q(N_("Document check"), "doc_check"),
    STATE_Q(N_("Awaiting documents"), "awaiting_docs"),
    STATE_Q(N_("Recognition"), "recognition"),
    STATE_Q(N_("Approval"), "approval"),
    /* 联审: cases in approval with a department still to sign — for a signer,
     * only their own department (?8) */
    { N_("Joint sign-off pending"), NULL, "c.updated_at", false, false, 1,
      { { "cases_q_signoff",
          QX_LIVE_STATE " = 'approval' AND EXISTS (SELECT 1 FROM signoffs s INDEXED BY signoffs_q_pending "
          "WHERE s.case_id = c.id AND s.status = 'pending' AND s.deleted_at IS NULL "
          "AND (?8 = '' OR s.department_id = ?8))", NULL, "cases_q_signoff_p", "cases_q_signoff_person" } } },
    STATE_Q(N_("Fulfilment"), "fulfilment"),
    { N_("Overdue"), NULL, QX_OPEN_DUE, true, true, 1,
      { { "cases_q_overdue", QX_OPEN_DUE " < ?2", QX_OPEN_DUE " <= %s", "cases_q_overdue_p", "cases_q_overdue_person" } } },
    STATE_Q(N_("Closed"), "closed"),
    { N_("All cases"), NULL, "c.updated_at", false, false, 1, { { "cases_updated", "c.deleted_at IS NULL", NULL, "cases_updated_p", "cases_person_live" } } },
};
#define NQUEUES ((int)(sizeof queues / sizeof queues[0]))

enum { S_FIRST, S_AFTER, S_AFTER_INCL, S_BEFORE, S_LAST, S_COUNT, S_COUNT_AFTER, S_COUNT_BEFORE, S_FIND_AFTER,
       S_FIND_BEFORE, S_FIND_CASE_AFTER, S_FIND_CASE_BEFORE, S_FIND_COUNT, S_FIND_CASE_COUNT, S_SKIP_AFTER,
       S_SKIP_BEFORE, S_WALK_AFTER, S_WALK_BEFORE, S_ROW, S_MEMBERS_AFTER, S_MEMBERS_BEFORE,
       S_KEYS_AFTER, S_KEYS_BEFORE, S_INI_AFTER, S_INI_BEFORE, S_NAME_AFTER, S_NAME_BEFORE, S_NAME1_AFTER,
       S_NAME1_BEFORE, S_N };

struct td_qlist {
    td_db *db;
    int q;
    char user[TD_UUID_LEN];
    char dept[TD_UUID_LEN];
    char today[TD_DATE_LEN];
    bool scoped;    /* opened for a signed-in user: actor's record scope */
    td_actor actor; /* that user (a copy) */
    char *sql[S_N];
    sqlite3_stmt *st[S_N];
    long find_many, find_span; /* find's plan threshold and walk stretch */
    /* find's candidates for the text last found (n and N find it again):
     * kept while the database is unchanged (data_version: commits by other
     * connections; total_changes: this one's) */
    struct id_set *cand;
    long cand_many;
    char cand_text[300];
    sqlite3_int64 cand_version;
    sqlite3_int64 cand_changes;
    sqlite3_stmt *data_version;
    /* find's working memory, allocated once and reused (a fresh allocation
     * this large is a fresh mapping, and its page faults cost more than
     * the search): the ids as gathered, and a spare slot table */
    char (*gather)[TD_UUID_LEN]; /* FIND_SET entries */
    char (*spare)[TD_UUID_LEN];
    size_t spare_cap;
};

int td_qlist_count_queues(void) { return NQUEUES; }

const char *td_qlist_title(int q) { return q >= 0 && q < NQUEUES ? queues[q].title : NULL; }

int td_qlist_lookup(const char *name)
{
    if (!name || !*name)
        return -1;
    for (int i = 0; i < NQUEUES; i++)
        if (strcmp(name, queues[i].title) == 0 || atoi(name) == i + 1)
            return i;
    return -1;
}

int td_qlist_for_state(const char *state)
{
    for (int i = 0; state && i < NQUEUES; i++)
        if (queues[i].state && strcmp(queues[i].state, state) == 0)
            return i;
    return -1;
}

#define COLS                                                                                                 \
    "c.rowid AS r, %s AS o, c.id, c.case_no, p.name, c.state, IFNULL(c.due_date,''), c.updated_at, " \
    "IFNULL((SELECT t.name FROM tiers t WHERE t.id = c.tier_id), IFNULL(c.tier_id,''))"

/* Appends printf output to a growing string. */
static void cat(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cat(char **s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *add = malloc((size_t)len + 1);
    if (len < 0 || !add)
        abort();
    vsnprintf(add, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    size_t a = *s ? strlen(*s) : 0, b = strlen(add);
    char *m = realloc(*s, a + b + 1);
    if (!m)
        abort();
    memcpy(m + a, add, b + 1);
    *s = m;
    free(add);
}

/* Record scopes (issue 10: own / station / department records) enter the
 * queues here and only here: a predicate over the case `c` that every
 * statement of the queue (pages, counts, finds) ANDs to each arm's filter.
 * NULL: no scope.  It must keep each arm an ordered range scan of the arm's
 * index (test_qlist checks every plan). */
static const char *scope_where(const td_qlist *ql)
{
    return ql->scoped ? TD_SCOPE_SQL(c) : NULL;
}

static void scope_and(char **s, const char *scope)
{
    if (scope && *scope)
        cat(s, " AND (%s)", scope);
}

/* An arm's filter for a statement with key condition op (NULL: none). */
static const char *arm_where_p(const arm *a, const char *op, const char *param)
{
    static char buf[640]; /* copied by cat() at once */
    if (!(op && op[0] == '<' && a->where_below))
        return a->where;
    snprintf(buf, sizeof buf, a->where_below, param);
    return buf;
}

/* The same, the key condition being against (?3, ?4). */
static const char *arm_where(const arm *a, const char *op) { return arm_where_p(a, op, "?3"); }

/* The keyset condition (key, rowid) op (p_key, p_rowid), and for an
 * expression key the scalar lower bound it implies (the upper bound of the
 * overdue queue is where_below's), so that a page after an anchor seeks to
 * it instead of reading the queue from its start up to it. */
static void key_cond(char **s, const qdef *q, const char *op, const char *p_key, const char *p_rowid)
{
    cat(s, " AND (%s, c.rowid) %s (%s, %s)", q->ord, op, p_key, p_rowid);
    if (q->expr_key && op[0] == '>')
        cat(s, " AND %s >= %s", q->ord, p_key);
}

/* Rows of every arm with an optional key condition `op` against (?3, ?4),
 * in order `dir`, LIMIT ?5. */
static char *rows_sql(const qdef *q, const char *scope, const char *op, const char *dir)
{
    char *s = NULL;
    for (int a = 0; a < q->narms; a++) {
        if (a)
            cat(&s, " UNION ALL ");
        cat(&s, "SELECT " COLS " FROM cases c INDEXED BY %s JOIN persons p ON p.id = c.person_id WHERE %s", q->ord,
            q->arms[a].index, arm_where(&q->arms[a], op));
        scope_and(&s, scope);
        if (op)
            key_cond(&s, q, op, "?3", "?4");
        if (q->narms == 1)
            cat(&s, " ORDER BY %s %s, c.rowid %s", q->ord, dir, dir);
    }
    if (q->narms > 1)
        cat(&s, " ORDER BY o %s, r %s", dir, dir);
    cat(&s, " LIMIT ?5");
    return s;
}

/* Capped count (?9) of every arm's rows, with an optional key condition. */
static char *count_sql(const qdef *q, const char *scope, const char *op)
{
    char *s = NULL;
    cat(&s, "SELECT ");
    for (int a = 0; a < q->narms; a++) {
        cat(&s, "%s(SELECT count(*) FROM (SELECT 1 FROM cases c INDEXED BY %s WHERE %s", a ? " + " : "",
            q->arms[a].index, arm_where(&q->arms[a], op));
        scope_and(&s, scope);
        if (op)
            key_cond(&s, q, op, "?3", "?4");
        cat(&s, " LIMIT ?9))");
    }
    return s;
}

/* The persons a find text can mean, each through its own index (the
 * indexes of td_search; names through the covering persons_name_id of
 * schema 019, no person row read): ?10/?11 name range, ?12/?13 folded name
 * range (the persons' range only when it differs from ?10/?11: a
 * simplified text has ?12 = ?10 for the fold table alone, and reading the
 * same name range twice doubled every name's candidates), ?14 pinyin
 * initials, ?15/?16 full pinyin range, ?17 identity number, ?23 mobile
 * number (the whole number, as `talentdesk search` takes it); ?24 set:
 * the persons' name ranges are searched apart (find_names), only the
 * folded names' table here.  Unused parameters are NULL and their arm reads nothing.  Deleted
 * persons are among them: a hit is checked when it is found. */
#define FIND_PERSONS                                                                                      \
    "SELECT id FROM persons INDEXED BY persons_name_id WHERE name >= ?10 AND name < ?11 "                   \
    "UNION ALL SELECT id FROM persons INDEXED BY persons_name_id WHERE name >= ?12 AND name < ?13 "         \
    "AND ?12 IS NOT ?10 AND ?24 IS NULL "                                                                  \
    "UNION ALL SELECT person_id FROM local_person_fold INDEXED BY local_person_fold_fold "                  \
    "WHERE fold >= ?12 AND fold < ?13 "                                                                     \
    "UNION ALL SELECT person_id FROM local_person_pinyin INDEXED BY local_person_pinyin_initials "          \
    "WHERE initials = ?14 "                                                                                 \
    "UNION ALL SELECT person_id FROM local_person_pinyin INDEXED BY local_person_pinyin_full "              \
    "WHERE full >= ?15 AND full < ?16 "                                                                     \
    "UNION ALL SELECT id FROM persons INDEXED BY persons_id_no WHERE id_no = ?17 "                           \
    "UNION ALL SELECT id FROM persons INDEXED BY persons_phone WHERE phone = ?23 AND phone <> ''"

/* One matching row of the queue after/before (?3, ?4), the probe of find.
 * Persons: the candidates' cases of each arm through the arm's probe_index
 * (filter, person, key: one seek per candidate, index entries only), the
 * matches of every arm sorted (the only sort, over the matches alone).  The
 * last column says whether the hit's person is live: a case of a deleted
 * person is skipped by find_probe, which probes again from it (a test of
 * every match here read two person pages per candidate), so it never hides
 * the next.  Case numbers: the cases by number (cases_case_no), then the
 * queue's filter on each. */
static char *find_sql(const qdef *q, const char *scope, bool by_case, const char *op, const char *dir)
{
    char *s = NULL;
    cat(&s, "SELECT " COLS ", p.deleted_at IS NULL FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.rowid = (",
        q->ord);
    if (by_case) {
        cat(&s, "SELECT c.rowid FROM cases c NOT INDEXED WHERE c.rowid IN ("
                "SELECT rowid FROM cases WHERE case_no >= ?10 AND case_no < ?11) AND (");
        for (int a = 0; a < q->narms; a++)
            cat(&s, "%s(%s)", a ? " OR " : "", q->arms[a].where);
        cat(&s, ")");
        scope_and(&s, scope);
        key_cond(&s, q, op, "?3", "?4");
        cat(&s, " ORDER BY %s %s, c.rowid %s LIMIT 1)", q->ord, dir,
            dir);
        return s;
    }
    cat(&s, "SELECT r FROM (");
    for (int a = 0; a < q->narms; a++) {
        const arm *m = &q->arms[a];
        if (a)
            cat(&s, " UNION ALL ");
        cat(&s, "SELECT c.rowid AS r, %s AS o FROM cases c INDEXED BY %s WHERE %s AND c.person_id IN (" FIND_PERSONS ")",
            q->ord, m->probe_index, arm_where(m, op));
        scope_and(&s, scope);
        key_cond(&s, q, op, "?3", "?4");
    }
    cat(&s, ") ORDER BY o %s, r %s LIMIT 1)", dir, dir);
    return s;
}

/* Whether the case c matches the find text, from the person's stored keys
 * alone (what FIND_PERSONS finds, tested for one person: its name, folded
 * name, pinyin and identity number; parameters as there) or, for a case
 * number (?19 set), from the case: the walk's per-row test. */
#define FIND_MATCH                                                                                        \
    "((?19 IS NOT NULL AND c.case_no >= ?10 AND c.case_no < ?11) OR (?19 IS NULL AND EXISTS ("             \
    "SELECT 1 FROM persons m WHERE m.id = c.person_id AND m.deleted_at IS NULL AND ("                        \
    "((?14 IS NOT NULL OR ?15 IS NOT NULL) AND EXISTS (SELECT 1 FROM local_person_pinyin y WHERE y.person_id = m.id " \
    "AND (y.initials = ?14 OR (y.full >= ?15 AND y.full < ?16)))) "                                        \
    "OR (m.name >= ?10 AND m.name < ?11) OR (m.name >= ?12 AND m.name < ?13) OR m.id_no = ?17 "              \
    "OR (m.phone = ?23 AND m.phone <> '') "                                                                  \
    "OR (?12 IS NOT NULL AND EXISTS (SELECT 1 FROM local_person_fold f WHERE f.person_id = m.id "           \
    "AND f.fold >= ?12 AND f.fold < ?13))))))"

/* Rows of every arm between (?3, ?4) (op, exclusive) and (?20, ?21) (bop,
 * inclusive) in order dir: with `match` the first row that matches the find
 * text (its rowid and key), else the key of row ?22 (OFFSET) — the bound
 * of the next stretch of the walk.  Each arm an ordered range scan of its
 * index, merged in order; no sort. */
static char *walk_sql(const qdef *q, const char *scope, const char *op, const char *bop, const char *dir,
                      bool match)
{
    char *s = NULL;
    for (int a = 0; a < q->narms; a++) {
        if (a)
            cat(&s, " UNION ALL ");
        /* the overdue arm's upper bound is whichever key condition is "<" */
        const char *upper_op = op[0] == '<' ? op : bop, *upper_p = op[0] == '<' ? "?3" : "?20";
        cat(&s, "SELECT c.rowid AS r, %s AS o FROM cases c INDEXED BY %s WHERE %s", q->ord, q->arms[a].index,
            arm_where_p(&q->arms[a], upper_op, upper_p));
        scope_and(&s, scope);
        key_cond(&s, q, op, "?3", "?4");
        if (bop)
            key_cond(&s, q, bop, "?20", "?21");
        if (match)
            cat(&s, " AND " FIND_MATCH);
        if (q->narms == 1)
            cat(&s, " ORDER BY %s %s, c.rowid %s", q->ord, dir, dir);
    }
    if (q->narms > 1)
        cat(&s, " ORDER BY o %s, r %s", dir, dir);
    cat(&s, match ? " LIMIT 1" : " LIMIT 1 OFFSET ?22");
    return s;
}

/* Rows of every arm after/before (?3, ?4) in order dir, with each row's
 * person: the membership walk of find, through each arm's index
 * with the person (walk_index), so index entries only.  Ordered by the sort
 * key alone (that index puts the person before the rowid): rows tied on the
 * key come in any order, and find_members picks among them. */
/* Whether the person c.person_id (read from a walk index) matches the find
 * text by its stored keys, each a probe keyed by the person — its pinyin
 * keys, its row (name, identity number, mobile: by id, since a name prefix
 * is a range of persons_name_id that a probe by (range, id) would read
 * whole — 10,000 entries per row for 张 at 1M), its folded name — and no
 * case row (parameters as FIND_PERSONS; deleted persons are tested out by
 * find_members). */
#define FIND_KEYS                                                                                         \
    "(((?14 IS NOT NULL OR ?15 IS NOT NULL) AND EXISTS (SELECT 1 FROM local_person_pinyin y "             \
    "WHERE y.person_id = c.person_id "                                                                      \
    "AND (y.initials = ?14 OR (y.full >= ?15 AND y.full < ?16)))) "                                         \
    "OR ((?10 IS NOT NULL OR ?17 IS NOT NULL OR ?23 IS NOT NULL) AND EXISTS (SELECT 1 FROM persons n "       \
    "WHERE n.id = c.person_id AND ((n.name >= ?10 AND n.name < ?11) OR (n.name >= ?12 AND n.name < ?13) "    \
    "OR n.id_no = ?17 OR (n.phone = ?23 AND n.phone <> '')))) "                                             \
    "OR (?12 IS NOT NULL AND EXISTS (SELECT 1 FROM local_person_fold f WHERE f.person_id = c.person_id "    \
    "AND f.fold >= ?12 AND f.fold < ?13)))"

static char *members_sql(const qdef *q, const char *scope, const char *op, const char *dir, bool keys)
{
    char *s = NULL;
    for (int a = 0; a < q->narms; a++) {
        const arm *m = &q->arms[a];
        if (a)
            cat(&s, " UNION ALL ");
        cat(&s, "SELECT c.rowid AS r, %s AS o, c.person_id AS pid%s FROM cases c INDEXED BY %s WHERE %s", q->ord,
            keys ? ", " FIND_KEYS " AS k" : "", m->walk_index ? m->walk_index : m->index, arm_where(m, op));
        scope_and(&s, scope);
        key_cond(&s, q, op, "?3", "?4");
        if (q->narms == 1)
            cat(&s, m->walk_index ? " ORDER BY %s %s" : " ORDER BY %s %s, c.rowid %s", q->ord, dir, dir);
    }
    if (q->narms > 1)
        cat(&s, " ORDER BY o %s", dir);
    return s; /* no LIMIT: find_members stops at the end of a key */
}

/* The first case after/before (?3, ?4) in queue order whose person has
 * the pinyin initials ?14, through local_case_find (schema 026): its index
 * (initials, the queue's sort key) read from the anchor in queue order,
 * each entry's case tested against the queue's filter (a seek by rowid),
 * so about 1 / (the queue's share of the live cases) entries to a hit and
 * never more than the cases of persons with those initials.  The overdue
 * queue reads its own key (due_open) and stops at today. */
static char *ini_sql(const qdef *q, const char *scope, const char *op, const char *dir)
{
    bool due = q->expr_key;
    const char *key = due ? "k.due_open" : "k.updated_at";
    char *s = NULL;
    cat(&s,
        "SELECT k.case_rowid FROM local_case_find k INDEXED BY %s JOIN cases c ON c.rowid = k.case_rowid "
        "WHERE k.initials = ?14 AND %s %s= ?3 AND (%s, k.case_rowid) %s (?3, ?4)",
        due ? "local_case_find_initials_due" : "local_case_find_initials", key, op[0] == '<' ? "<" : ">", key, op);
    if (due)
        cat(&s, " AND k.due_open IS NOT NULL AND k.due_open < ?2");
    cat(&s, " AND (");
    for (int a = 0; a < q->narms; a++)
        cat(&s, "%s(%s)", a ? " OR " : "", q->arms[a].where);
    cat(&s, ")");
    scope_and(&s, scope);
    cat(&s, " ORDER BY %s %s, k.case_rowid %s LIMIT 1", key, dir, dir);
    return s;
}

/* The first case after/before (?3, ?4) in queue order whose person's name
 * starts with ?27 (the range [?27, ?28)), through local_case_find's index
 * of the name's first two characters (?26; one: the index of the first
 * character) in queue order from the anchor, each case tested against the
 * queue's filter: as ini_sql.  Not for the overdue queue (its key is the
 * due date; its finds take the plans of the candidates). */
static char *name_sql(const qdef *q, const char *scope, const char *op, const char *dir, bool one)
{
    char *s = NULL;
    cat(&s,
        "SELECT k.case_rowid FROM local_case_find k INDEXED BY %s JOIN cases c ON c.rowid = k.case_rowid "
        "WHERE substr(k.name, 1, %d) = ?26 AND k.updated_at %s= ?3 AND (k.updated_at, k.case_rowid) %s (?3, ?4) "
        "AND k.name >= ?27 AND k.name < ?28 AND (",
        one ? "local_case_find_name1" : "local_case_find_name2", one ? 1 : 2, op[0] == '<' ? "<" : ">", op);
    for (int a = 0; a < q->narms; a++)
        cat(&s, "%s(%s)", a ? " OR " : "", q->arms[a].where);
    cat(&s, ")");
    scope_and(&s, scope);
    cat(&s, " ORDER BY k.updated_at %s, k.case_rowid %s LIMIT 1", dir, dir);
    return s;
}

const char *td_qlist_sql(td_qlist *ql, int i) { return ql && i >= 0 && i < S_N ? ql->sql[i] : NULL; }

static void cand_drop(td_qlist *ql);

void td_qlist_close(td_qlist *ql)
{
    if (!ql)
        return;
    for (int i = 0; i < S_N; i++) {
        sqlite3_finalize(ql->st[i]);
        free(ql->sql[i]);
    }
    cand_drop(ql);
    sqlite3_finalize(ql->data_version);
    free(ql->gather);
    free(ql->spare);
    free(ql);
}

static td_qlist *qlist_open(td_db *db, int qn, const char *user_id, const char *signer_dept, const char *today,
                            const td_actor *actor, td_err *err);

td_qlist *td_qlist_open(td_db *db, int qn, const char *user_id, const char *signer_dept, const char *today,
                        td_err *err)
{
    return qlist_open(db, qn, user_id, signer_dept, today, NULL, err);
}

static td_qlist *qlist_open(td_db *db, int qn, const char *user_id, const char *signer_dept, const char *today,
                            const td_actor *actor, td_err *err)
{
    if (qn < 0 || qn >= NQUEUES) {
        td_err_set(err, TD_EINVALID, "%s", _("no such queue"));
        return NULL;
    }
    td_qlist *ql = calloc(1, sizeof *ql);
    if (!ql)
        abort();
    ql->db = db;
    ql->q = qn;
    if (actor) {
        ql->scoped = true;
        ql->actor = *actor;
    }
    snprintf(ql->user, sizeof ql->user, "%s", user_id ? user_id : "");
    snprintf(ql->dept, sizeof ql->dept, "%s", signer_dept ? signer_dept : "");
    snprintf(ql->today, sizeof ql->today, "%s", today ? today : "");
    const qdef *q = &queues[qn];
    const char *d = q->asc ? "ASC" : "DESC", *rd = q->asc ? "DESC" : "ASC";
    const char *after = q->asc ? ">" : "<", *before = q->asc ? "<" : ">";
    const char *after_incl = q->asc ? ">=" : "<=";
    const char *sc = scope_where(ql);
    ql->sql[S_FIRST] = rows_sql(q, sc, NULL, d);
    ql->sql[S_AFTER] = rows_sql(q, sc, after, d);
    ql->sql[S_AFTER_INCL] = rows_sql(q, sc, after_incl, d);
    ql->sql[S_BEFORE] = rows_sql(q, sc, before, rd);
    ql->sql[S_LAST] = rows_sql(q, sc, NULL, rd);
    ql->sql[S_COUNT] = count_sql(q, sc, NULL);
    ql->sql[S_COUNT_AFTER] = count_sql(q, sc, after);
    ql->sql[S_COUNT_BEFORE] = count_sql(q, sc, before);
    ql->sql[S_FIND_AFTER] = find_sql(q, sc, false, after, d);
    ql->sql[S_FIND_BEFORE] = find_sql(q, sc, false, before, rd);
    ql->sql[S_FIND_CASE_AFTER] = find_sql(q, sc, true, after, d);
    ql->sql[S_FIND_CASE_BEFORE] = find_sql(q, sc, true, before, rd);
    cat(&ql->sql[S_FIND_COUNT], "SELECT id FROM (" FIND_PERSONS ") LIMIT ?18");
    cat(&ql->sql[S_FIND_CASE_COUNT],
        "SELECT count(*) FROM (SELECT 1 FROM cases WHERE case_no >= ?10 AND case_no < ?11 LIMIT ?18)");
    const char *after_bound = q->asc ? "<=" : ">=", *before_bound = q->asc ? ">=" : "<=";
    ql->sql[S_SKIP_AFTER] = walk_sql(q, sc, after, NULL, d, false);
    ql->sql[S_SKIP_BEFORE] = walk_sql(q, sc, before, NULL, rd, false);
    ql->sql[S_WALK_AFTER] = walk_sql(q, sc, after, after_bound, d, true);
    ql->sql[S_WALK_BEFORE] = walk_sql(q, sc, before, before_bound, rd, true);
    cat(&ql->sql[S_ROW],
        "SELECT " COLS ", p.deleted_at IS NULL FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.rowid = ?3",
        q->ord);
    ql->sql[S_MEMBERS_AFTER] = members_sql(q, sc, after, d, false);
    ql->sql[S_MEMBERS_BEFORE] = members_sql(q, sc, before, rd, false);
    ql->sql[S_KEYS_AFTER] = members_sql(q, sc, after, d, true);
    ql->sql[S_KEYS_BEFORE] = members_sql(q, sc, before, rd, true);
    ql->sql[S_INI_AFTER] = ini_sql(q, sc, after, d);
    ql->sql[S_INI_BEFORE] = ini_sql(q, sc, before, rd);
    /* the overdue queue has no name statements (NULL: td_qlist_sql ends) */
    if (!q->expr_key) {
        ql->sql[S_NAME_AFTER] = name_sql(q, sc, after, d, false);
        ql->sql[S_NAME_BEFORE] = name_sql(q, sc, before, rd, false);
        ql->sql[S_NAME1_AFTER] = name_sql(q, sc, after, d, true);
        ql->sql[S_NAME1_BEFORE] = name_sql(q, sc, before, rd, true);
    }
    sqlite3 *h = td_db_handle(db);
    for (int i = 0; i < S_N; i++) {
        if (ql->sql[i] && sqlite3_prepare_v2(h, ql->sql[i], -1, &ql->st[i], NULL) != SQLITE_OK) {
            td_err_set(err, TD_EDB, "%s: %s", _("cannot read the queue"), sqlite3_errmsg(h));
            td_qlist_close(ql);
            return NULL;
        }
    }
    return ql;
}

td_qlist *td_qlist_open_as(td_db *db, int q, const td_actor *actor, const char *today, td_err *err)
{
    bool signer = td_actor_has(actor, TD_ROLE_SIGNER);
    return qlist_open(db, q, actor->user_id, signer ? actor->department_id : "", today, actor, err);
}

td_status td_qlist_anchor(td_qlist *ql, const char *ord, const char *case_id, td_qlist_row *anchor, td_err *err)
{
    memset(anchor, 0, sizeof *anchor);
    sqlite3_stmt *st = td_db_prepare(ql->db, "SELECT rowid FROM cases WHERE id = ?1", err);
    if (!st)
        return TD_EDB;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        anchor->rowid = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return td_err_set(err, TD_ENOTFOUND, "%s", _("no such case"));
    if (rc != SQLITE_ROW)
        return td_db_fail(ql->db, _("reading the work queue"), err);
    snprintf(anchor->ord, sizeof anchor->ord, "%s", ord);
    snprintf(anchor->id, sizeof anchor->id, "%s", case_id);
    return TD_OK;
}

/* Binds the queue's own parameters (those the statement has). */
static sqlite3_stmt *stmt(td_qlist *ql, int i)
{
    sqlite3_stmt *st = ql->st[i];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    td_scope_bind(st, ql->scoped ? &ql->actor : NULL);
    int n = sqlite3_bind_parameter_count(st);
    if (n >= 1)
        sqlite3_bind_text(st, 1, ql->user, -1, SQLITE_STATIC);
    if (n >= 2)
        sqlite3_bind_text(st, 2, ql->today, -1, SQLITE_STATIC);
    if (n >= 8)
        sqlite3_bind_text(st, 8, ql->dept, -1, SQLITE_STATIC);
    return st;
}

static void bind_key(sqlite3_stmt *st, const td_qlist_row *r)
{
    sqlite3_bind_text(st, 3, r->ord, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->rowid);
}

static void read_row(sqlite3_stmt *st, td_qlist_row *r)
{
    memset(r, 0, sizeof *r);
    r->rowid = sqlite3_column_int64(st, 0);
    td_col_copy(st, 1, r->ord, sizeof r->ord);
    td_col_copy(st, 2, r->id, sizeof r->id);
    td_col_copy(st, 3, r->case_no, sizeof r->case_no);
    td_col_copy(st, 4, r->name, sizeof r->name);
    td_col_copy(st, 5, r->state, sizeof r->state);
    td_col_copy(st, 6, r->due, sizeof r->due);
    td_col_copy(st, 7, r->updated, sizeof r->updated);
    td_col_copy(st, 8, r->tier, sizeof r->tier);
}

static int rows(td_qlist *ql, sqlite3_stmt *st, int n, td_qlist_row *out, bool reverse, td_err *err)
{
    int got = 0, rc = SQLITE_DONE;
    sqlite3_bind_int(st, 5, n);
    while (got < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        read_row(st, &out[got++]);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        td_db_fail(ql->db, _("reading the work queue"), err);
        return -1;
    }
    for (int i = 0; reverse && i < got / 2; i++) {
        td_qlist_row t = out[i];
        out[i] = out[got - 1 - i];
        out[got - 1 - i] = t;
    }
    return got;
}

int td_qlist_first(td_qlist *ql, int n, td_qlist_row *out, td_err *err)
{
    return rows(ql, stmt(ql, S_FIRST), n, out, false, err);
}

int td_qlist_last(td_qlist *ql, int n, td_qlist_row *out, td_err *err)
{
    return rows(ql, stmt(ql, S_LAST), n, out, true, err);
}

int td_qlist_after(td_qlist *ql, const td_qlist_row *anchor, bool inclusive, int n, td_qlist_row *out,
                   td_err *err)
{
    sqlite3_stmt *st = stmt(ql, inclusive ? S_AFTER_INCL : S_AFTER);
    bind_key(st, anchor);
    return rows(ql, st, n, out, false, err);
}

int td_qlist_before(td_qlist *ql, const td_qlist_row *anchor, int n, td_qlist_row *out, td_err *err)
{
    sqlite3_stmt *st = stmt(ql, S_BEFORE);
    bind_key(st, anchor);
    return rows(ql, st, n, out, true, err);
}

static long count(td_qlist *ql, int i, const td_qlist_row *anchor, long cap, td_err *err)
{
    sqlite3_stmt *st = stmt(ql, i);
    if (anchor)
        bind_key(st, anchor);
    sqlite3_bind_int64(st, 9, cap > 0 ? cap : 1);
    int rc = sqlite3_step(st);
    long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    if (n < 0) {
        td_db_fail(ql->db, _("reading the work queue"), err);
        return -1;
    }
    return n > cap ? cap : n;
}

long td_qlist_count(td_qlist *ql, long cap, td_err *err) { return count(ql, S_COUNT, NULL, cap, err); }

long td_qlist_count_after(td_qlist *ql, const td_qlist_row *anchor, long cap, td_err *err)
{
    return count(ql, S_COUNT_AFTER, anchor, cap, err);
}

long td_qlist_count_before(td_qlist *ql, const td_qlist_row *anchor, long cap, td_err *err)
{
    return count(ql, S_COUNT_BEFORE, anchor, cap, err);
}

/* "zs", "Zhang San": ASCII letters (and spaces), lower-cased. */
static bool pinyin_text(const char *q, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = q; *p; p++) {
        char c = *p;
        if (c == ' ')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || o + 1 >= len)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return o >= 2;
}

#define TOP "\xF4\x8F\xBF\xBF" /* U+10FFFF: the end of a prefix range */


/* Find-in-list: the first row of the queue, in its order from the anchor,
 * whose person the text can mean (or whose case number starts with it).
 * Every plan answers exactly the same rows (test_qlist checks they agree);
 * what they cost is bounded by what the text means, not by the queue or the
 * table:
 *  - the candidates: the persons the text can mean, gathered as a set of ids
 *    from the search indexes (FIND_PERSONS; index entries only), at most
 *    FIND_SET of them; none — nothing to find, no queue read at all;
 *  - few (fewer than FIND_FEW): probe — the candidates' cases through each arm's probe index,
 *    restricted to the queue after the anchor, the first in queue order
 *    (a seek per candidate and arm);
 *  - more: the membership walk — the queue's own rows from the anchor, as a
 *    page reads them, each row's person tested against the set in memory
 *    (an index entry per row), for at most FIND_BUDGET_PER times as many
 *    rows as there are candidates (at least FIND_BUDGET_MIN): many
 *    candidates are dense in a queue, so a hit is near; a walk that runs
 *    out of budget hands over to the probe from where it stopped;
 *  - more than FIND_SET candidates (or case numbers past find_many): the
 *    stored-key walk (FIND_MATCH: each row tested in SQL against the
 *    person's keys), in stretches, then the probe.
 * FIND_SET: a set test costs an index entry per row, a stored-key test
 * three seeks, so the set pays for gathering it up to about 16,000
 * persons (at 1M cases every find then costs about 2-2.5 ms, where 4,096
 * left the two-character names of 5,000 persons at 5-14 ms).
 * A case of a deleted person is never a hit, and never hides the next. */
#define FIND_STRETCHES 4
#define FIND_SET 16384
#define FIND_FEW 48
#define FIND_BUDGET_PER 4
#define FIND_BUDGET_MIN 512
#define FIND_KEYS_BUDGET 8192
#define FIND_PEEK 32

/* The stored-key walk's threshold and stretch for case numbers and very
 * common texts, from the table of n cases: a probe costs about 2 index reads
 * per candidate, a walk about 4 per row and n / candidates rows on average,
 * so they cost the same at sqrt(2n) candidates; each stretch holds twice
 * sqrt(n) rows. */
static long isqrt(long v)
{
    long r = 0;
    while ((r + 1) * (r + 1) <= v)
        r++;
    return r;
}

/* TALENTDESK_QLIST_FIND forces a plan for tests: probe, walk (the
 * membership walk, no budget), short (the membership walk with a budget of
 * 3 rows, then the probe), match (the stored-key walk). */
enum { FORCE_NONE, FORCE_PROBE, FORCE_WALK, FORCE_SHORT, FORCE_MATCH };

static int find_force(void)
{
    const char *f = getenv("TALENTDESK_QLIST_FIND");
    if (!f)
        return FORCE_NONE;
    return strcmp(f, "probe") == 0 ? FORCE_PROBE : strcmp(f, "walk") == 0 ? FORCE_WALK
         : strcmp(f, "short") == 0 ? FORCE_SHORT : strcmp(f, "match") == 0 ? FORCE_MATCH : FORCE_NONE;
}

static void find_tune(td_qlist *ql)
{
    long n = 0;
    sqlite3_stmt *st = td_db_prepare(ql->db, "SELECT max(rowid) FROM cases", NULL);
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    long m = isqrt(2 * n), sp = 2 * isqrt(n);
    ql->find_many = m < 64 ? 64 : m > 4096 ? 4096 : m;
    ql->find_span = sp < 256 ? 256 : sp > 8192 ? 8192 : sp;
}

typedef struct find_args {
    bool by_case, has_py;
    char norm[300], hi[320], fold[300], fhi[320], py[128], pyhi[136], up[300], mobile[16];
    const char *p10, *p11, *p12, *p13, *p14, *p15, *p16, *p17, *p23;
    bool names_apart; /* ?24: the persons' name ranges are searched by find_names */
} find_args;

static void find_prepare(const char *norm, td_search_kind kind, find_args *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->norm, sizeof a->norm, "%s", norm);
    a->by_case = kind == TD_SEARCH_CASE;
    if (a->by_case) {
        size_t o = 0;
        for (const char *p = norm; *p && o + 1 < sizeof a->up; p++)
            if (*p != ' ')
                a->up[o++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 'a' + 'A' : *p);
        a->up[o] = '\0';
        snprintf(a->hi, sizeof a->hi, "%s" TOP, a->up);
        a->p10 = a->up, a->p11 = a->hi;
    } else if (kind == TD_SEARCH_PHONE) {
        /* a whole mainland mobile, as `talentdesk search` takes it: the
         * digits, without +86/0086, spaces or dashes */
        size_t o = 0;
        const char *p = norm;
        if (strncmp(p, "+86", 3) == 0)
            p += 3;
        else if (strncmp(p, "0086", 4) == 0)
            p += 4;
        for (; *p && o + 1 < sizeof a->mobile; p++)
            if (*p >= '0' && *p <= '9')
                a->mobile[o++] = *p;
        a->mobile[o] = '\0';
        a->p23 = a->mobile;
    } else if (kind == TD_SEARCH_ID) {
        size_t o = 0;
        for (const char *p = norm; *p && o + 1 < sizeof a->up; p++)
            if (*p != ' ' && *p != '-')
                a->up[o++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 'a' + 'A' : *p);
        a->up[o] = '\0';
        a->p17 = a->up;
    } else {
        snprintf(a->hi, sizeof a->hi, "%s" TOP, a->norm);
        a->p10 = a->norm, a->p11 = a->hi;
        td_name_fold(a->norm, a->fold, sizeof a->fold);
        snprintf(a->fhi, sizeof a->fhi, "%s" TOP, a->fold);
        if (strcmp(a->fold, a->norm) != 0) /* 陳… typed: simplified names too */
            a->p12 = a->fold, a->p13 = a->fhi;
        else /* 陈… typed: the folded keys of traditional names */
            a->p12 = a->norm, a->p13 = a->hi;
        if ((a->has_py = pinyin_text(a->norm, a->py, sizeof a->py))) {
            a->p14 = a->py;
            if (strlen(a->py) >= 3) {
                snprintf(a->pyhi, sizeof a->pyhi, "%s{", a->py);
                a->p15 = a->py, a->p16 = a->pyhi;
            }
        }
    }
}

static void find_bind(sqlite3_stmt *b, const find_args *a)
{
    const char *v[8] = { a->p10, a->p11, a->p12, a->p13, a->p14, a->p15, a->p16, a->p17 };
    int n = sqlite3_bind_parameter_count(b);
    for (int i = 0; i < 8; i++)
        if (10 + i <= n && v[i])
            sqlite3_bind_text(b, 10 + i, v[i], -1, SQLITE_STATIC);
    if (n >= 19 && a->by_case)
        sqlite3_bind_int(b, 19, 1);
    if (n >= 23 && a->p23)
        sqlite3_bind_text(b, 23, a->p23, -1, SQLITE_STATIC);
    if (n >= 24 && a->names_apart)
        sqlite3_bind_int(b, 24, 1);
}

/* The walk: 1 found (hit), 0 the queue ends without a match, 2 none within
 * its stretches, -1 error. */
static int find_walk(td_qlist *ql, const find_args *a, const td_qlist_row *anchor, int dir, td_qlist_row *hit,
                     td_err *err)
{
    td_qlist_row from = *anchor;
    for (int k = 0; k < FIND_STRETCHES; k++) {
        /* the end of this stretch: the key find_span rows on, or the queue's end */
        sqlite3_stmt *sk = stmt(ql, dir > 0 ? S_SKIP_AFTER : S_SKIP_BEFORE);
        bind_key(sk, &from);
        sqlite3_bind_int64(sk, 22, ql->find_span - 1);
        int rc = sqlite3_step(sk);
        bool end = rc != SQLITE_ROW;
        td_qlist_row bound;
        memset(&bound, 0, sizeof bound);
        if (rc == SQLITE_ROW) {
            bound.rowid = sqlite3_column_int64(sk, 0);
            td_col_copy(sk, 1, bound.ord, sizeof bound.ord);
        }
        sqlite3_reset(sk);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return td_db_fail(ql->db, _("searching the work queue"), err), -1;
        if (end) { /* the rest of the queue, to its extreme key */
            bool towards_high = (dir > 0) == queues[ql->q].asc;
            snprintf(bound.ord, sizeof bound.ord, "%s", towards_high ? "\x7F" : "");
            bound.rowid = towards_high ? INT64_MAX : -1;
        }
        sqlite3_stmt *w = stmt(ql, dir > 0 ? S_WALK_AFTER : S_WALK_BEFORE);
        bind_key(w, &from);
        sqlite3_bind_text(w, 20, bound.ord, -1, SQLITE_STATIC);
        sqlite3_bind_int64(w, 21, bound.rowid);
        find_bind(w, a);
        rc = sqlite3_step(w);
        sqlite3_int64 r = rc == SQLITE_ROW ? sqlite3_column_int64(w, 0) : 0;
        sqlite3_reset(w);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return td_db_fail(ql->db, _("searching the work queue"), err), -1;
        if (rc == SQLITE_ROW) {
            sqlite3_stmt *one = stmt(ql, S_ROW);
            sqlite3_bind_int64(one, 3, r);
            rc = sqlite3_step(one);
            if (rc == SQLITE_ROW)
                read_row(one, hit);
            sqlite3_reset(one);
            if (rc != SQLITE_ROW)
                return td_db_fail(ql->db, _("searching the work queue"), err), -1;
            return 1;
        }
        if (end)
            return 0;
        from = bound;
    }
    return 2;
}


/* The candidates: a set of person ids (open addressing, FNV-1a). */
typedef struct id_set {
    size_t cap, n; /* cap a power of two */
    char (*slot)[TD_UUID_LEN];
} id_set;

static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* An empty set with room for n ids without growing: its table is *spare
 * (taken, *spare set to NULL) when that is large enough, else a new one. */
static void set_init(id_set *set, size_t n, char (**spare)[TD_UUID_LEN], size_t spare_cap)
{
    set->cap = 64;
    while (set->cap < 2 * n + 2)
        set->cap *= 2;
    set->n = 0;
    if (spare && *spare && spare_cap >= set->cap) {
        set->cap = spare_cap;
        set->slot = *spare;
        *spare = NULL;
        memset(set->slot, 0, set->cap * sizeof *set->slot);
        return;
    }
    set->slot = calloc(set->cap, sizeof *set->slot);
    if (!set->slot)
        abort();
}

static void set_add(id_set *set, const char *id);

/* Doubles the table when it is half full. */
static void set_grow(id_set *set)
{
    id_set big;
    big.cap = set->cap * 2;
    big.n = 0;
    big.slot = calloc(big.cap, sizeof *big.slot);
    if (!big.slot)
        abort();
    for (size_t i = 0; i < set->cap; i++)
        if (set->slot[i][0])
            set_add(&big, set->slot[i]);
    free(set->slot);
    *set = big;
}

static void set_add(id_set *set, const char *id)
{
    if (!id || !*id || strlen(id) >= TD_UUID_LEN)
        return;
    if (2 * (set->n + 1) > set->cap)
        set_grow(set);
    for (size_t i = id_hash(id) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slot[i][0]) {
            memcpy(set->slot[i], id, strlen(id) + 1);
            set->n++;
            return;
        }
        if (strcmp(set->slot[i], id) == 0)
            return;
    }
}

static bool set_has(const id_set *set, const char *id)
{
    if (!id || !*id)
        return false;
    for (size_t i = id_hash(id) & (set->cap - 1); set->slot[i][0]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slot[i], id) == 0)
            return true;
    return false;
}

/* Reads the row of case rowid r into hit; 1 when its person is live, 0 when
 * deleted, -1 on error. */
static int live_row(td_qlist *ql, sqlite3_int64 r, td_qlist_row *hit, td_err *err)
{
    sqlite3_stmt *one = stmt(ql, S_ROW);
    sqlite3_bind_int64(one, 3, r);
    int rc = sqlite3_step(one);
    int live = 0;
    if (rc == SQLITE_ROW) {
        read_row(one, hit);
        live = sqlite3_column_int(one, 9) != 0;
    }
    sqlite3_reset(one);
    if (rc != SQLITE_ROW) {
        td_db_fail(ql->db, _("searching the work queue"), err);
        return -1;
    }
    return live;
}

/* The membership walk: the queue's rows from anchor, each row's person
 * tested against set, for about budget rows.  Rows tied on the sort key
 * come in any order, so a key's rows are always walked whole: the hit is
 * the first in queue order (by rowid, in the walk's direction) among the
 * matching rows of the first key that has any, and a walk out of budget
 * stops at the end of a key.  1 found (hit), 0 the queue ends without a
 * match, 2 none within the budget (*last = the furthest row walked, in
 * queue order: every row up to it was tested), -1 error. */
static int find_members(td_qlist *ql, const id_set *set, const find_args *a, const td_qlist_row *anchor, int dir,
                        long budget, td_qlist_row *hit, td_qlist_row *last, td_err *err)
{
    bool up = (dir > 0) == queues[ql->q].asc; /* rowids ascend within a key */
    sqlite3_stmt *w = set ? stmt(ql, dir > 0 ? S_MEMBERS_AFTER : S_MEMBERS_BEFORE)
                          : stmt(ql, dir > 0 ? S_KEYS_AFTER : S_KEYS_BEFORE);
    bind_key(w, anchor);
    if (!set)
        find_bind(w, a);
    long n = 0;
    int rc;
    bool have = false, stopped = false;
    memset(last, 0, sizeof *last);
    while ((rc = sqlite3_step(w)) == SQLITE_ROW) {
        sqlite3_int64 r = sqlite3_column_int64(w, 0);
        const char *o = (const char *)sqlite3_column_text(w, 1);
        if (!o)
            o = "";
        bool same = n > 0 && strcmp(o, last->ord) == 0;
        if (n > 0 && !same && (have || n >= budget)) {
            stopped = !have; /* a key ends: the match's, or the budget's */
            break;
        }
        n++;
        if (!same || (up ? r > last->rowid : r < last->rowid)) {
            last->rowid = r;
            snprintf(last->ord, sizeof last->ord, "%s", o);
        }
        if (have && (up ? r > hit->rowid : r < hit->rowid))
            continue; /* after the match in queue order */
        if (set ? set_has(set, (const char *)sqlite3_column_text(w, 2)) : sqlite3_column_int(w, 3) != 0) {
            td_qlist_row cand;
            int live = live_row(ql, r, &cand, err);
            if (live < 0) {
                sqlite3_reset(w);
                return -1;
            }
            if (live) {
                *hit = cand;
                have = true;
            }
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        td_db_fail(ql->db, _("searching the work queue"), err);
        sqlite3_reset(w);
        return -1;
    }
    sqlite3_reset(w);
    return have ? 1 : stopped ? 2 : 0;
}

/* The probe: the first of the candidates' cases in the queue from anchor. */
static int find_probe(td_qlist *ql, const find_args *a, const td_qlist_row *anchor, int dir, td_qlist_row *hit,
                      td_err *err)
{
    int i = a->by_case ? (dir > 0 ? S_FIND_CASE_AFTER : S_FIND_CASE_BEFORE) : (dir > 0 ? S_FIND_AFTER : S_FIND_BEFORE);
    td_qlist_row from = *anchor;
    for (;;) {
        sqlite3_stmt *st = stmt(ql, i);
        bind_key(st, &from);
        find_bind(st, a);
        int rc = sqlite3_step(st), found = 0;
        bool live = true;
        if (rc == SQLITE_ROW) {
            read_row(st, hit);
            live = a->by_case || sqlite3_column_int(st, 9) != 0;
            found = 1;
        } else if (rc != SQLITE_DONE) {
            td_db_fail(ql->db, _("searching the work queue"), err);
            found = -1;
        }
        sqlite3_reset(st);
        if (found != 1 || live)
            return found;
        from = *hit; /* a deleted person's case: on from it */
    }
}

/* Gathers the candidates of a person text into set (at most FIND_SET + 1
 * entries read): their number, or -1 on error.  The ids are read into a
 * flat buffer first and the set is built only when there are at most
 * FIND_SET of them (more: the plans that follow never test the set, which
 * is left empty). */
static long find_candidates(td_qlist *ql, const find_args *a, id_set *set, td_err *err)
{
    if (!ql->gather && !(ql->gather = malloc(FIND_SET * sizeof *ql->gather)))
        abort();
    sqlite3_stmt *st = stmt(ql, S_FIND_COUNT);
    find_bind(st, a);
    sqlite3_bind_int64(st, 18, FIND_SET + 1);
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (n < FIND_SET) {
            size_t len = id ? strlen(id) : 0;
            if (len >= TD_UUID_LEN)
                len = 0; /* not an id: never a member (as set_add) */
            memcpy(ql->gather[n], id ? id : "", len);
            ql->gather[n][len] = '\0';
        }
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        td_db_fail(ql->db, _("searching the work queue"), err);
        return -1;
    }
    if (n > FIND_SET) {
        set_init(set, 0, NULL, 0);
        return n;
    }
    set_init(set, (size_t)n, &ql->spare, ql->spare_cap);
    for (long i = 0; i < n; i++)
        set_add(set, ql->gather[i]);
    return n;
}

static void cand_drop(td_qlist *ql)
{
    if (ql->cand) { /* its table is kept for the next set */
        if (ql->spare && ql->spare_cap >= ql->cand->cap) {
            free(ql->cand->slot);
        } else {
            free(ql->spare);
            ql->spare = ql->cand->slot;
            ql->spare_cap = ql->cand->cap;
        }
    }
    free(ql->cand);
    ql->cand = NULL;
    ql->cand_text[0] = '\0';
}

void td_qlist_find_forget(td_qlist *ql)
{
    if (ql)
        cand_drop(ql);
}

/* The database's change stamp for the candidates' cache: 0 when it cannot
 * be read (then nothing is reused). */
static bool db_stamp(td_qlist *ql, sqlite3_int64 *version, sqlite3_int64 *changes)
{
    sqlite3 *h = td_db_handle(ql->db);
    if (!ql->data_version && sqlite3_prepare_v2(h, "PRAGMA data_version", -1, &ql->data_version, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(ql->data_version);
    *version = rc == SQLITE_ROW ? sqlite3_column_int64(ql->data_version, 0) : -1;
    sqlite3_reset(ql->data_version);
    *changes = sqlite3_total_changes64(h);
    return rc == SQLITE_ROW;
}

/* The candidates of the text in a (its normalised form): those gathered by
 * the last find of the same text while the database has not changed since,
 * else gathered now (find_candidates) and kept for the next n/N.  *many as
 * find_candidates returns; the set is owned by ql (NULL on error). */
static id_set *cand_get(td_qlist *ql, const find_args *a, long *many, td_err *err)
{
    sqlite3_int64 ver = -1, chg = -1;
    bool stamped = db_stamp(ql, &ver, &chg);
    if (stamped && ql->cand && strcmp(ql->cand_text, a->norm) == 0 && ver == ql->cand_version &&
        chg == ql->cand_changes) {
        *many = ql->cand_many;
        return ql->cand;
    }
    cand_drop(ql);
    id_set *set = calloc(1, sizeof *set); /* slot NULL until gathered */
    if (!set)
        abort();
    *many = find_candidates(ql, a, set, err);
    if (*many < 0) {
        free(set->slot);
        free(set);
        return NULL;
    }
    ql->cand = set;
    ql->cand_many = *many;
    if (stamped) {
        snprintf(ql->cand_text, sizeof ql->cand_text, "%s", a->norm);
        ql->cand_version = ver;
        ql->cand_changes = chg;
    }
    return set;
}

/* Whether the candidates of the text in a are kept from the last find (and
 * still valid): *many is then their number. */
static bool cand_kept(td_qlist *ql, const find_args *a, long *many)
{
    sqlite3_int64 ver = -1, chg = -1;
    if (!ql->cand || strcmp(ql->cand_text, a->norm) != 0 || !db_stamp(ql, &ver, &chg) || ver != ql->cand_version ||
        chg != ql->cand_changes)
        return false;
    *many = ql->cand_many;
    return true;
}

/* A person text's find (td_qlist_find's plans): 1, 0 or -1 as there. */
static int find_person(td_qlist *ql, const find_args *a, const td_qlist_row *anchor, int dir, int force,
                       td_qlist_row *hit, td_err *err)
{
    int found = 2; /* 2: not decided yet */
    id_set *set = NULL;
    long kept_many = 0;
    bool kept = cand_kept(ql, a, &kept_many);
    td_qlist_row peek_last;
    const td_qlist_row *from = anchor;
    if (a->has_py && force == FORCE_NONE && !(kept && kept_many <= FIND_SET)) {
        /* a pinyin text (zs, zhang) may mean thousands of persons, dense
         * in any queue: the next rows' stored keys first, before the
         * candidates are gathered */
        found = find_members(ql, NULL, a, anchor, dir, FIND_PEEK, hit, &peek_last, err);
        if (found == 2)
            from = &peek_last;
    }
    long many = 0;
    if (found == 2) {
        set = cand_get(ql, a, &many, err);
        if (!set)
            many = -1;
    }
    if (found != 2) {
        /* the peek decided */
    } else if (many < 0) {
        found = -1;
    } else if (many == 0) {
        found = 0; /* nobody the text can mean */
    } else if (force == FORCE_MATCH || (force != FORCE_PROBE && many > FIND_SET)) {
        /* so many candidates are dense in any queue: the walk testing
         * each row's stored keys, then the probe (the set was not
         * built: no plan that tests it can answer) */
        td_qlist_row last;
        found = find_members(ql, NULL, a, from, dir, force == FORCE_MATCH ? 3 : FIND_KEYS_BUDGET, hit, &last,
                             err);
        if (found == 2)
            found = find_probe(ql, a, &last, dir, hit, err);
    } else if (force == FORCE_WALK || force == FORCE_SHORT || (force == FORCE_NONE && many >= FIND_FEW)) {
        long budget = force == FORCE_WALK ? LONG_MAX : force == FORCE_SHORT ? 3 : FIND_BUDGET_PER * many;
        if (force == FORCE_NONE && budget < FIND_BUDGET_MIN)
            budget = FIND_BUDGET_MIN;
        td_qlist_row last;
        found = find_members(ql, set, a, from, dir, budget, hit, &last, err);
        if (found == 2) /* the probe goes on from where the walk stopped */
            found = find_probe(ql, a, &last, dir, hit, err);
    }
    if (found == 2)
        found = find_probe(ql, a, anchor, dir, hit, err);
    return found;
}

/* The first case of the queue from anchor (dir as td_qlist_find) that
 * statement si answers (ini_sql, name_sql) with its key parameters bound
 * (?14 initials; ?26 a name's first characters, [?27, ?28) its range;
 * NULL: unbound), skipping cases of deleted persons: 1 (hit), 0 or -1. */
static int find_keyed(td_qlist *ql, int si, const char *p14, const char *p26, const char *p27, const char *p28,
                      const td_qlist_row *anchor, td_qlist_row *hit, td_err *err)
{
    td_qlist_row from = *anchor;
    for (;;) {
        sqlite3_stmt *st = stmt(ql, si);
        bind_key(st, &from);
        const char *v[4] = { p14, p26, p27, p28 };
        const int at[4] = { 14, 26, 27, 28 };
        for (int i = 0; i < 4; i++)
            if (v[i])
                sqlite3_bind_text(st, at[i], v[i], -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_int64 r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return 0;
        if (rc != SQLITE_ROW)
            return td_db_fail(ql->db, _("searching the work queue"), err), -1;
        int live = live_row(ql, r, hit, err);
        if (live != 0)
            return live; /* 1, or -1 */
        from = *hit; /* a deleted person's case: on from it */
    }
}

/* The first case from anchor whose person's name starts with prefix
 * (find_keyed through name_sql): 1, 0 or -1. */
static int find_name_prefix(td_qlist *ql, const char *prefix, const td_qlist_row *anchor, int dir, td_qlist_row *hit,
                            td_err *err)
{
    /* the first one or two characters (code points, as substr counts) */
    size_t i = 0;
    int chars = 0;
    while (prefix[i] && chars < 2) {
        i++;
        while ((prefix[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    char key[16], hi[320];
    if (chars == 0 || i >= sizeof key)
        return 0;
    memcpy(key, prefix, i);
    key[i] = '\0';
    bool one = chars == 1;
    snprintf(hi, sizeof hi, "%s" TOP, prefix);
    int si = one ? (dir > 0 ? S_NAME1_AFTER : S_NAME1_BEFORE) : (dir > 0 ? S_NAME_AFTER : S_NAME_BEFORE);
    return find_keyed(ql, si, NULL, key, prefix, hi, anchor, hit, err);
}

/* Keeps in *best the nearer of *best (when *have) and cand in the find's
 * direction dir. */
static void keep_nearer(const qdef *q, int dir, td_qlist_row *best, bool *have, const td_qlist_row *cand);

/* Whether row x comes before row y in queue q's order. */
static bool queue_before(const qdef *q, const td_qlist_row *x, const td_qlist_row *y)
{
    int c = strcmp(x->ord, y->ord);
    if (c == 0)
        c = x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
    return q->asc ? c < 0 : c > 0;
}

static void keep_nearer(const qdef *q, int dir, td_qlist_row *best, bool *have, const td_qlist_row *cand)
{
    if (!*have || (dir > 0) == queue_before(q, cand, best)) {
        *best = *cand;
        *have = true;
    }
}

/* How many persons the text can mean, counted up to cap (index entries
 * only): -1 on error. */
static long find_count_upto(td_qlist *ql, const find_args *a, long cap, td_err *err)
{
    sqlite3_stmt *st = stmt(ql, S_FIND_COUNT);
    find_bind(st, a);
    sqlite3_bind_int64(st, 18, cap);
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n++;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(ql->db, _("searching the work queue"), err), -1;
    return n;
}

/* The rest of a text's meanings, those not searched apart: a copy of a
 * whose candidates are kept apart from the whole text's (its cache key
 * marked).  Free with free(). */
static find_args *rest_args(const find_args *a)
{
    find_args *rest = malloc(sizeof *rest);
    if (!rest)
        abort();
    *rest = *a;
    size_t nl = strlen(rest->norm);
    if (nl + 1 < sizeof rest->norm)
        rest->norm[nl] = '\x01', rest->norm[nl + 1] = '\0';
    return rest;
}

int td_qlist_find(td_qlist *ql, const char *text, const td_qlist_row *anchor, int dir, td_qlist_row *hit,
                  td_err *err)
{
    char *norm = td_text_normalize(text ? text : "");
    if (!norm || !*norm) {
        free(norm);
        return 0;
    }
    td_search_kind kind = td_search_classify(norm);
    find_args *a = malloc(sizeof *a);
    if (!a)
        abort();
    find_prepare(norm, kind, a);
    free(norm);
    const qdef *q = &queues[ql->q];
    /* no anchor: from the top (forward) or the end (backward) */
    td_qlist_row edge;
    memset(&edge, 0, sizeof edge);
    bool towards_high = (dir > 0) == q->asc; /* the key condition is ">" */
    if (!anchor) {
        snprintf(edge.ord, sizeof edge.ord, "%s", towards_high ? "" : "\x7F");
        edge.rowid = towards_high ? -1 : INT64_MAX;
        if (!towards_high && q->arms[0].where_below) { /* the overdue queue ends before today */
            snprintf(edge.ord, sizeof edge.ord, "%s", ql->today);
            edge.rowid = -1;
        }
        anchor = &edge;
    }
    if (kind == TD_SEARCH_NAME) /* pinyin keys of new and renamed persons (cheap when none) */
        (void)td_search_refresh_pinyin(ql->db, NULL, &(td_err){ 0 });
    if (!ql->find_span)
        find_tune(ql);
    int force = find_force();
    int found = 2; /* 2: not decided yet */
    if (a->by_case) {
        /* how many case numbers the text can mean, up to find_many */
        sqlite3_stmt *cnt = stmt(ql, S_FIND_CASE_COUNT);
        find_bind(cnt, a);
        sqlite3_bind_int64(cnt, 18, ql->find_many);
        int rc = sqlite3_step(cnt);
        long many = rc == SQLITE_ROW ? (long)sqlite3_column_int64(cnt, 0) : -1;
        sqlite3_reset(cnt);
        if (many < 0) {
            td_db_fail(ql->db, _("searching the work queue"), err);
            found = -1;
        } else if (force != FORCE_PROBE && (many >= ql->find_many || force == FORCE_MATCH || force == FORCE_WALK ||
                                            force == FORCE_SHORT)) {
            found = find_walk(ql, a, anchor, dir, hit, err);
        }
    } else if (a->p14 && force == FORCE_NONE) {
        /* a pinyin text: its initials through local_case_find, its other
         * meanings (full pinyin, a name or identity number in letters)
         * through the plans of the candidates, the nearer hit of the two */
        td_qlist_row one;
        bool have = false;
        found = find_keyed(ql, dir > 0 ? S_INI_AFTER : S_INI_BEFORE, a->p14, NULL, NULL, NULL, anchor, &one, err);
        if (found == 1)
            keep_nearer(q, dir, hit, &have, &one);
        if (found >= 0) {
            find_args *rest = rest_args(a);
            rest->p14 = NULL;
            rest->has_py = false; /* the peek tested initials too */
            found = find_person(ql, rest, anchor, dir, force, &one, err);
            free(rest);
            if (found == 1)
                keep_nearer(q, dir, hit, &have, &one);
        }
        if (found >= 0)
            found = have ? 1 : 0;
    } else if (kind == TD_SEARCH_NAME && !a->has_py && force == FORCE_NONE && ql->st[S_NAME_AFTER] && a->p10 &&
               find_count_upto(ql, a, FIND_FEW + 1, err) > FIND_FEW) {
        /* a name that means many persons (林鹏: 林鹏, 林鹏飞 …): the name
         * ranges (as typed, and folded when that differs) through
         * local_case_find, the folded names' table through the plans of
         * the candidates; the nearest hit */
        td_qlist_row one;
        bool have = false;
        found = find_name_prefix(ql, a->p10, anchor, dir, &one, err);
        if (found == 1)
            keep_nearer(q, dir, hit, &have, &one);
        if (found >= 0 && a->p12 && strcmp(a->p12, a->p10) != 0) {
            found = find_name_prefix(ql, a->p12, anchor, dir, &one, err);
            if (found == 1)
                keep_nearer(q, dir, hit, &have, &one);
        }
        if (found >= 0) {
            find_args *rest = rest_args(a);
            rest->p10 = rest->p11 = NULL;
            rest->names_apart = true;
            found = find_person(ql, rest, anchor, dir, force, &one, err);
            free(rest);
            if (found == 1)
                keep_nearer(q, dir, hit, &have, &one);
        }
        if (found >= 0)
            found = have ? 1 : 0;
    } else {
        found = find_person(ql, a, anchor, dir, force, hit, err);
    }
    if (found == 2)
        found = find_probe(ql, a, anchor, dir, hit, err);
    free(a);
    return found;
}
