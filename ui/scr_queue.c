/* scr_queue.c — the work queues: my cases, every state, overdue, awaiting
 * documents, joint sign-off pending, all.  A virtual list over keyset pages:
 * only the rows on screen are read, whatever the queue's size. */
#include "draw.h"
#include "base/i18n.h"
#include "listview.h"
#include "screens.h"
#include "cases/case.h"
#include "base/timeutil.h"

#include <stdlib.h>
#include <string.h>

#define OPEN_STATES "c.state NOT IN ('closed','rejected','withdrawn')"

typedef struct queue_def {
    const char *title; /* N_() */
    const char *where; /* ?1 = the user's id, ?2 = today, ?8 = a signer's department */
    const char *ord;   /* sort column (with c.rowid as tie-break) */
    bool asc;
} queue_def;

static const queue_def queues[] = {
    { N_("My cases"), "(c.intake_by = ?1 OR c.assignee_id = ?1) AND " OPEN_STATES, "c.updated_at", false },
    { N_("Intake"), "c.state = 'intake'", "c.updated_at", false },
    { N_("Document check"), "c.state = 'doc_check'", "c.updated_at", false },
    { N_("Awaiting documents"), "c.state = 'awaiting_docs'", "c.updated_at", false },
    { N_("Recognition"), "c.state = 'recognition'", "c.updated_at", false },
    { N_("Approval"), "c.state = 'approval'", "c.updated_at", false },
    /* 联审: cases in approval with a department still to sign — for a signer,
     * only their own department (?8) */
    { N_("Joint sign-off pending"),
      "c.state = 'approval' AND EXISTS (SELECT 1 FROM signoffs s WHERE s.case_id = c.id AND "
      "s.status = 'pending' AND s.deleted_at IS NULL AND (?8 = '' OR s.department_id = ?8))",
      "c.updated_at", false },
    { N_("Fulfilment"), "c.state = 'fulfilment'", "c.updated_at", false },
    { N_("Overdue"), "c.due_date < ?2 AND " OPEN_STATES, "c.due_date", true },
    { N_("Closed"), "c.state = 'closed'", "c.updated_at", false },
    { N_("All cases"), "1", "c.updated_at", false },
};
#define NQUEUES ((int)(sizeof queues / sizeof queues[0]))

typedef struct qrow {
    sqlite3_int64 rowid;
    char ord[TD_TS_LEN];
    char id[TD_UUID_LEN];
    char case_no[TD_CASE_NO_LEN];
    char name[160];
    char state[24];
    char due[TD_DATE_LEN];
    char updated[TD_TS_LEN];
    char tier[64];
} qrow;

enum { ST_FIRST, ST_AFTER, ST_BEFORE, ST_LAST, ST_OFFSET, ST_COUNT, ST_COUNT_CAP, ST_COUNT_AFTER,
       ST_FIND_AFTER, ST_FIND_BEFORE, ST_RANK_BEFORE, ST_N };

typedef struct queue_state {
    ui_app *app;
    int q;
    ui_list list;
    sqlite3_stmt *st[ST_N];
    long data_version;
} queue_state;

static void finalize_all(queue_state *s)
{
    for (int i = 0; i < ST_N; i++) {
        sqlite3_finalize(s->st[i]);
        s->st[i] = NULL;
    }
}

/* Builds the statements of queue s->q.  The sort order is (ord, rowid), DESC
 * unless the queue says ASC; "after" continues past a row in display order. */
static void prepare_queue(queue_state *s)
{
    finalize_all(s);
    const queue_def *q = &queues[s->q];
    const char *d = q->asc ? "ASC" : "DESC", *rd = q->asc ? "DESC" : "ASC";
    const char *after = q->asc ? ">" : "<", *before = q->asc ? "<" : ">";
    char cols[512], base[1024], sql[4096];
    snprintf(cols, sizeof cols,
             "SELECT c.rowid, IFNULL(%s,''), c.id, c.case_no, p.name, c.state, IFNULL(c.due_date,''), "
             "c.updated_at, IFNULL((SELECT t.name FROM tiers t WHERE t.id = c.tier_id), IFNULL(c.tier_id,'')) "
             "FROM cases c JOIN persons p ON p.id = c.person_id",
             q->ord);
    snprintf(base, sizeof base, " WHERE c.deleted_at IS NULL AND (%s)", q->where);
    sqlite3 *h = td_db_handle(s->app->db);
    for (int i = 0; i < ST_N; i++) {
        switch (i) {
        case ST_FIRST:
            snprintf(sql, sizeof sql, "%s%s ORDER BY %s %s, c.rowid %s LIMIT ?5", cols, base, q->ord, d, d);
            break;
        case ST_AFTER:
            snprintf(sql, sizeof sql, "%s%s AND (%s, c.rowid) %s (?3, ?4) ORDER BY %s %s, c.rowid %s LIMIT ?5",
                     cols, base, q->ord, after, q->ord, d, d);
            break;
        case ST_BEFORE:
            snprintf(sql, sizeof sql, "%s%s AND (%s, c.rowid) %s (?3, ?4) ORDER BY %s %s, c.rowid %s LIMIT ?5",
                     cols, base, q->ord, before, q->ord, rd, rd);
            break;
        case ST_LAST:
            snprintf(sql, sizeof sql, "%s%s ORDER BY %s %s, c.rowid %s LIMIT ?5", cols, base, q->ord, rd, rd);
            break;
        case ST_OFFSET:
            snprintf(sql, sizeof sql, "%s%s ORDER BY %s %s, c.rowid %s LIMIT ?5 OFFSET ?6", cols, base, q->ord,
                     d, d);
            break;
        case ST_COUNT:
            snprintf(sql, sizeof sql, "SELECT count(*) FROM cases c%s", base);
            break;
        case ST_COUNT_CAP: /* ?9 = the cap */
            snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM cases c%s LIMIT ?9)", base);
            break;
        case ST_COUNT_AFTER:
            snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM cases c%s AND (%s, c.rowid) %s (?3, ?4) LIMIT ?9)",
                     base, q->ord, after);
            break;
        case ST_FIND_AFTER:
        case ST_FIND_BEFORE: {
            bool fwd = i == ST_FIND_AFTER;
            snprintf(sql, sizeof sql,
                     "%s%s AND (%s, c.rowid) %s (?3, ?4) AND (c.case_no LIKE ?7 || '%%' OR p.name LIKE ?7 || '%%' "
                     "OR p.name_latin LIKE ?7 || '%%') ORDER BY %s %s, c.rowid %s LIMIT 1",
                     cols, base, q->ord, fwd ? after : before, q->ord, fwd ? d : rd, fwd ? d : rd);
            break;
        }
        case ST_RANK_BEFORE:
            snprintf(sql, sizeof sql, "SELECT count(*) FROM cases c%s AND (%s, c.rowid) %s (?3, ?4)", base,
                     q->ord, before);
            break;
        }
        if (sqlite3_prepare_v2(h, sql, -1, &s->st[i], NULL) != SQLITE_OK) {
            ui_status(s->app, true, "%s: %s", _("cannot read the queue"), sqlite3_errmsg(h));
            s->st[i] = NULL;
        }
    }
}

static void bind_common(queue_state *s, sqlite3_stmt *st)
{
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    int n = sqlite3_bind_parameter_count(st);
    if (n >= 1)
        sqlite3_bind_text(st, 1, s->app->actor.user_id, -1, SQLITE_TRANSIENT);
    if (n >= 2)
        sqlite3_bind_text(st, 2, today, -1, SQLITE_TRANSIENT);
    if (n >= 8) {
        bool signer = td_actor_has(&s->app->actor, TD_ROLE_SIGNER);
        sqlite3_bind_text(st, 8, signer ? s->app->actor.department_id : "", -1, SQLITE_TRANSIENT);
    }
}

static void read_row(sqlite3_stmt *st, qrow *r)
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

static long q_count(void *ud, long cap, bool *exact)
{
    queue_state *s = ud;
    sqlite3_stmt *st = s->st[cap > 0 ? ST_COUNT_CAP : ST_COUNT];
    *exact = true;
    if (!st)
        return 0;
    bind_common(s, st);
    if (cap > 0)
        sqlite3_bind_int64(st, 9, cap);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (cap > 0 && n >= cap)
        *exact = false;
    return n;
}

static void bind_key(sqlite3_stmt *st, const qrow *r);

static long q_count_after(void *ud, const void *rowv, long cap)
{
    queue_state *s = ud;
    sqlite3_stmt *st = s->st[ST_COUNT_AFTER];
    if (!st || !rowv)
        return 0;
    bind_common(s, st);
    bind_key(st, rowv);
    sqlite3_bind_int64(st, 9, cap);
    long n = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

static int run_rows(queue_state *s, sqlite3_stmt *st, int n, qrow *out, bool reverse)
{
    int got = 0;
    if (!st)
        return 0;
    sqlite3_bind_int(st, 5, n);
    while (got < n && sqlite3_step(st) == SQLITE_ROW)
        read_row(st, &out[got++]);
    sqlite3_reset(st);
    if (reverse) {
        for (int i = 0; i < got / 2; i++) {
            qrow t = out[i];
            out[i] = out[got - 1 - i];
            out[got - 1 - i] = t;
        }
    }
    (void)s;
    return got;
}

static void bind_key(sqlite3_stmt *st, const qrow *r)
{
    sqlite3_bind_text(st, 3, r->ord, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, r->rowid);
}

static int q_fetch(void *ud, long first, int n, void *outv, const void *cachev, long cfirst, int cn)
{
    queue_state *s = ud;
    qrow *out = outv;
    const qrow *cache = cachev;
    long total = s->list.count;
    sqlite3_stmt *st;
    if (first == 0) {
        st = s->st[ST_FIRST];
        if (!st)
            return 0;
        bind_common(s, st);
        return run_rows(s, st, n, out, false);
    }
    /* continue after a cached row (paging or scrolling down) */
    if (cn > 0 && first - 1 >= cfirst && first - 1 < cfirst + cn) {
        st = s->st[ST_AFTER];
        if (!st)
            return 0;
        bind_common(s, st);
        bind_key(st, &cache[first - 1 - cfirst]);
        return run_rows(s, st, n, out, false);
    }
    /* continue before a cached row (paging or scrolling up) */
    if (cn > 0 && first + n >= cfirst && first + n < cfirst + cn) {
        st = s->st[ST_BEFORE];
        if (!st)
            return 0;
        bind_common(s, st);
        bind_key(st, &cache[first + n - cfirst]);
        return run_rows(s, st, n, out, true);
    }
    /* the end of the queue (only when the count is exact) */
    if (s->list.exact && first + n >= total) {
        st = s->st[ST_LAST];
        if (!st)
            return 0;
        bind_common(s, st);
        int want = (int)(total - first);
        return run_rows(s, st, want, out, true);
    }
    /* a jump elsewhere (search result): the one OFFSET query */
    st = s->st[ST_OFFSET];
    if (!st)
        return 0;
    bind_common(s, st);
    sqlite3_bind_int64(st, 6, first);
    return run_rows(s, st, n, out, false);
}

static long q_find(void *ud, const char *text, long from, const void *from_row, int dir)
{
    queue_state *s = ud;
    const qrow *cur = from_row;
    if (!cur)
        return -1;
    sqlite3_stmt *st = s->st[dir > 0 ? ST_FIND_AFTER : ST_FIND_BEFORE];
    if (!st)
        return -1;
    bind_common(s, st);
    bind_key(st, cur);
    sqlite3_bind_int(st, 5, 1);
    sqlite3_bind_text(st, 7, text, -1, SQLITE_TRANSIENT);
    qrow hit;
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        read_row(st, &hit);
    sqlite3_reset(st);
    (void)from;
    if (!found)
        return -1;
    sqlite3_stmt *rk = s->st[ST_RANK_BEFORE];
    if (!rk)
        return -1;
    bind_common(s, rk);
    bind_key(rk, &hit);
    long idx = sqlite3_step(rk) == SQLITE_ROW ? (long)sqlite3_column_int64(rk, 0) : -1;
    sqlite3_reset(rk);
    return idx;
}

enum { W_NO = 16, W_NAME = 14, W_STATE = 12, W_TIER = 8, W_DUE = 10 };

/* The columns for a row w wide: the 80-column widths as minimums, names,
 * states and tiers sharing what a wide screen adds (case number and date
 * keep theirs). */
static void q_widths(int w, int out[6])
{
    static const int min[] = { W_NO, W_NAME, W_STATE, W_TIER, W_DUE, 0 };
    ui_cols_fit(w, 6, min, (1u << 0) | (1u << 4), out);
}

static void q_header(void *ud, int y, int x, int w)
{
    (void)ud;
    const char *cells[] = { _("Case no."), _("Name"), _("State"), _("Tier"), _("Due"), _("Updated") };
    int widths[6];
    q_widths(w, widths);
    ui_put_row(y, x, w, 6, cells, widths, UI_S_HEADER);
}

static void q_row(void *ud, const void *rowv, int y, int x, int w, bool selected)
{
    queue_state *s = ud;
    const qrow *r = rowv;
    char upd[24];
    td_ts_local(r->updated, upd, sizeof upd);
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    const char *cells[] = { r->case_no, r->name, td_state_name(r->state), r->tier, r->due, upd };
    int widths[6];
    q_widths(w, widths);
    enum ui_style st = selected ? UI_S_SELECTED : UI_S_NORMAL;
    ui_put_row(y, x, w, 6, cells, widths, st);
    /* an overdue deadline stands out (unless the row is highlighted) */
    if (!selected && r->due[0] && strcmp(r->due, today) < 0 && strcmp(r->state, "closed") != 0)
        ui_put(y, x + widths[0] + widths[1] + widths[2] + widths[3] + 4, W_DUE, r->due, UI_S_ERROR);
    (void)s;
}

static const ui_list_source queue_source = {
    .count = q_count,
    .count_after = q_count_after,
    .fetch = q_fetch,
    .draw_header = q_header,
    .draw_row = q_row,
    .find = q_find,
};

static void switch_queue(queue_state *s, int q)
{
    s->q = (q + NQUEUES) % NQUEUES;
    prepare_queue(s);
    ui_list_free(&s->list);
    ui_list_init(&s->list, &queue_source, s, sizeof(qrow));
    s->data_version = ui_data_version(s->app);
}

static void q_draw(ui_app *app, ui_view *v, ui_rect r)
{
    queue_state *s = v->state;
    (void)app;
    char head[256];
    char count[32];
    snprintf(count, sizeof count, "%ld%s", s->list.count, s->list.exact ? "" : "+");
    snprintf(head, sizeof head, _("Queue: %s (%d/%d)   %s cases   F6 next queue"), _(queues[s->q].title),
             s->q + 1, NQUEUES, count);
    ui_put(r.y, r.x, r.w, head, UI_S_HEADER);
    ui_rect lr = { r.y + 1, r.x, r.h - 1, r.w };
    ui_list_draw(&s->list, lr);
}

static unsigned q_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    queue_state *s = v->state;
    (void)key;
    unsigned fl = ui_list_key(app, &s->list, a);
    if (fl)
        return fl;
    switch (a) {
    case UI_ACT_OPEN: {
        const qrow *r = ui_list_selected(&s->list);
        if (r) {
            char id[TD_UUID_LEN];
            memcpy(id, r->id, sizeof id);
            ui_open_case(app, id);
        }
        return UI_HANDLED | UI_FULL;
    }
    case UI_ACT_QUEUE_NEXT:
        switch_queue(s, s->q + 1);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_QUEUE_PREV:
        switch_queue(s, s->q - 1);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_REFRESH:
        ui_list_reload(&s->list);
        s->data_version = ui_data_version(app);
        ui_status(app, false, "%s", _("reloaded"));
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_INTAKE:
        ui_open_intake(app);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_SEARCH:
        ui_open_search(app);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_USER: {
        char *name = ui_prompt(app, _("Act as user (user name):"), "");
        if (!name)
            return UI_HANDLED | UI_FULL;
        td_actor a;
        td_err err;
        td_err_clear(&err);
        if (td_actor_load(app->db, name, &a, &err) != TD_OK) {
            ui_status_err(app, &err);
        } else {
            app->actor = a;
            switch_queue(s, s->q); /* "my cases" belong to the new user */
            ui_status(app, false, _("Now acting as %s (%s)."), a.display_name, a.username);
        }
        free(name);
        return UI_HANDLED | UI_FULL;
    }
    default:
        return 0;
    }
}

/* Another clerk (another connection) committed: recount and reread the
 * rows on screen. */
static void q_poll(ui_app *app, ui_view *v)
{
    queue_state *s = v->state;
    long dv = ui_data_version(app);
    if (dv != s->data_version || v->resumed) {
        v->resumed = false;
        s->data_version = dv;
        ui_list_reload(&s->list);
    }
}

static void q_destroy(ui_view *v)
{
    queue_state *s = v->state;
    ui_list_free(&s->list);
    finalize_all(s);
    free(s);
}

static const ui_action queue_actions[] = {
    UI_ACT_HELP, UI_ACT_INTAKE, UI_ACT_OPEN, UI_ACT_REFRESH, UI_ACT_QUEUE_NEXT, UI_ACT_QUEUE_PREV,
    UI_ACT_SEARCH, UI_ACT_USER, UI_ACT_QUIT, UI_LIST_ACTIONS, UI_ACT_NONE,
};

static const ui_view_ops queue_ops = {
    .name = "queue",
    .title = N_("Work queues"),
    .actions = queue_actions,
    .draw = q_draw,
    .key = q_key,
    .poll = q_poll,
    .destroy = q_destroy,
};

void ui_open_queue(ui_app *app)
{
    queue_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->app = app;
    const char *start = getenv("TALENTDESK_QUEUE"); /* tests and benchmarks pick a queue */
    int q = 0;
    if (start && *start) {
        for (int i = 0; i < NQUEUES; i++)
            if (strcmp(start, queues[i].title) == 0 || atoi(start) == i + 1)
                q = i;
    }
    switch_queue(s, q);
    ui_push(app, ui_view_new(&queue_ops, s));
}

void ui_open_home(ui_app *app)
{
    ui_open_queue(app);
}

long ui_data_version(ui_app *app)
{
    sqlite3_stmt *st = td_db_prepare(app->db, "PRAGMA data_version", NULL);
    if (!st)
        return 0;
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return v;
}
