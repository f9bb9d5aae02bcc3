/* scr_queue.c — the work queues: my cases, every state, overdue, awaiting
 * documents, joint sign-off pending, all.  A virtual list over keyset pages:
 * only the rows on screen are read, whatever the queue's size. */
#include "draw.h"
#include "base/i18n.h"
#include "listview.h"
#include "pick.h"
#include "screens.h"
#include "setup/check.h"
#include "cases/case.h"
#include "base/timeutil.h"
#include "search/qlist.h"
#include "sync/conflicts.h"

#include <stdlib.h>
#include <string.h>

typedef td_qlist_row qrow;

typedef struct queue_state {
    ui_app *app;
    int q;
    ui_list list;
    td_qlist *ql;
    long data_version;
    long conflicts;   /* open sync conflicts (the badge) */
} queue_state;

static void queue_error(queue_state *s, const td_err *err)
{
    ui_status_err(s->app, err);
}

static long q_count(void *ud, long cap, bool *exact)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    *exact = true;
    if (!s->ql)
        return 0;
    if (cap <= 0)
        cap = UI_LIST_COUNT_CAP;
    long n = td_qlist_count(s->ql, cap, &err);
    if (n < 0) {
        queue_error(s, &err);
        return 0;
    }
    *exact = n < cap;
    return n;
}

static long q_count_after(void *ud, const void *rowv, long cap)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    if (!s->ql || !rowv)
        return 0;
    long n = td_qlist_count_after(s->ql, rowv, cap, &err);
    if (n < 0)
        queue_error(s, &err);
    return n < 0 ? 0 : n;
}

static long q_count_before(void *ud, const void *rowv, long cap)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    if (!s->ql || !rowv)
        return 0;
    long n = td_qlist_count_before(s->ql, rowv, cap, &err);
    if (n < 0)
        queue_error(s, &err);
    return n < 0 ? 0 : n;
}

static int done(queue_state *s, int got, const td_err *err)
{
    if (got < 0)
        queue_error(s, err);
    return got < 0 ? 0 : got;
}

/* Every window is read by keyset from a cached neighbour, or from one of
 * the queue's ends; there is no OFFSET. */
static int q_fetch(void *ud, long first, int n, void *outv, const void *cachev, long cfirst, int cn)
{
    queue_state *s = ud;
    qrow *out = outv;
    const qrow *cache = cachev;
    td_err err;
    td_err_clear(&err);
    if (!s->ql)
        return 0;
    /* continue after a cached row (paging or scrolling down) */
    if (cn > 0 && first - 1 >= cfirst && first - 1 < cfirst + cn)
        return done(s, td_qlist_after(s->ql, &cache[first - 1 - cfirst], false, n, out, &err), &err);
    /* continue before a cached row (paging or scrolling up) */
    if (cn > 0 && first + n >= cfirst && first + n < cfirst + cn)
        return done(s, td_qlist_before(s->ql, &cache[first + n - cfirst], n, out, &err), &err);
    if (first == 0 || !s->list.head_exact)
        return done(s, td_qlist_first(s->ql, n, out, &err), &err);
    /* the end of the queue (only when the count is exact) */
    if (s->list.exact && first + n >= s->list.count)
        return done(s, td_qlist_last(s->ql, (int)(s->list.count - first), out, &err), &err);
    /* no neighbour (cannot happen through the list's own moves): the top */
    return done(s, td_qlist_first(s->ql, n, out, &err), &err);
}

static int q_fetch_last(void *ud, int n, void *outv)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    return s->ql ? done(s, td_qlist_last(s->ql, n, outv, &err), &err) : 0;
}

static int q_refetch(void *ud, const void *anchor, int n, void *outv)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    return s->ql ? done(s, td_qlist_after(s->ql, anchor, true, n, outv, &err), &err) : 0;
}

static int q_find(void *ud, const char *text, const void *from_row, int dir, void *hit)
{
    queue_state *s = ud;
    td_err err;
    td_err_clear(&err);
    if (!s->ql)
        return -1;
    int f = td_qlist_find(s->ql, text, from_row, dir, hit, &err);
    if (f < 0)
        queue_error(s, &err);
    return f;
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
    .count_before = q_count_before,
    .fetch_last = q_fetch_last,
    .refetch = q_refetch,
};

static void switch_queue(queue_state *s, int q)
{
    int nq = td_qlist_count_queues();
    s->q = (q + nq) % nq;
    td_qlist_close(s->ql);
    char today[TD_DATE_LEN];
    td_date_format(td_today(), today);
    td_err err;
    td_err_clear(&err);
    s->ql = td_qlist_open_as(s->app->db, s->q, &s->app->actor, today, &err);
    if (!s->ql)
        ui_status_err(s->app, &err);
    ui_list_free(&s->list);
    ui_list_init(&s->list, &queue_source, s, sizeof(qrow));
    s->data_version = ui_data_version(s->app);
    s->conflicts = td_sync_conflicts_open(s->app->db);
}

static void q_draw(ui_app *app, ui_view *v, ui_rect r)
{
    queue_state *s = v->state;
    (void)app;
    char head[256];
    char count[32];
    ui_list_count_text(&s->list, count, sizeof count);
    snprintf(head, sizeof head, _("Queue: %s (%d/%d)   %s cases   F6 next queue"), _(td_qlist_title(s->q)),
             s->q + 1, td_qlist_count_queues(), count);
    /* the sync conflicts waiting for review, as a badge on the right */
    char badge[96] = "";
    if (s->conflicts > 0)
        snprintf(badge, sizeof badge, _(" Conflicts to review (%ld): C "), s->conflicts);
    int bw = badge[0] ? ui_width(badge) : 0;
    if (bw > r.w / 2)
        bw = 0;
    ui_put(r.y, r.x, r.w - bw, head, UI_S_HEADER);
    if (bw)
        ui_put_right(r.y, r.x + r.w - bw, bw, badge, UI_S_ERROR);
    ui_rect lr = { r.y + 1, r.x, r.h - 1, r.w };
    ui_list_draw(&s->list, lr);
}

static void check_line(const td_check *k, bool ok, const char *detail, void *ud)
{
    char **text = ud;
    char line[900];
    snprintf(line, sizeof line, "%s  %s\n      %s\n", ok ? "[ OK ]" : "[FAIL]", _(k->title), detail);
    size_t have = *text ? strlen(*text) : 0;
    char *nt = realloc(*text, have + strlen(line) + 1);
    if (!nt)
        return;
    memcpy(nt + have, line, strlen(line) + 1);
    *text = nt;
}

/* `talentdesk check` as a text page, for administrators. */
static void open_db_check(ui_app *app)
{
    if (!(app->actor.roles & TD_ROLE_ADMIN)) {
        ui_status(app, true, "%s", _("Only an administrator may run the database checks"));
        return;
    }
    char *text = NULL;
    int failed = 0;
    td_err err;
    td_err_clear(&err);
    if (td_check_run(app->db, NULL, check_line, &text, &failed, &err) != TD_OK) {
        ui_status_err(app, &err);
        free(text);
        return;
    }
    ui_open_text(app, _("Database check"), text ? text : "");
    if (failed)
        ui_status(app, true, _("%d check(s) failed: restore a backup with `talentdesk restore FILE` if the database "
                               "is damaged."),
                  failed);
    else
        ui_status(app, false, "%s", _("Every check passed."));
    free(text);
}

/* The queue menu: every queue by name, with the digit that jumps to it. */
static void queue_menu(queue_state *s)
{
    int nq = td_qlist_count_queues();
    char labels[32][160];
    const char *items[32];
    if (nq > 32)
        nq = 32;
    for (int i = 0; i < nq; i++) {
        if (i < 10)
            snprintf(labels[i], sizeof labels[i], "%d  %s", (i + 1) % 10, _(td_qlist_title(i)));
        else
            snprintf(labels[i], sizeof labels[i], "   %s", _(td_qlist_title(i)));
        items[i] = labels[i];
    }
    int k = ui_pick(s->app, _("Work queue"), items, nq, s->q);
    if (k >= 0)
        switch_queue(s, k);
}

static unsigned q_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    queue_state *s = v->state;
    unsigned fl = ui_list_key(app, &s->list, a);
    if (fl)
        return fl;
    /* direct jumps: 1-9 to the first nine queues, 0 to the tenth */
    if (a == UI_ACT_NONE && key >= '0' && key <= '9') {
        int q = key == '0' ? 9 : (int)(key - '1');
        if (q < td_qlist_count_queues())
            switch_queue(s, q);
        return UI_HANDLED | UI_FULL;
    }
    switch (a) {
    case UI_ACT_QUEUE_MENU:
        queue_menu(s);
        return UI_HANDLED | UI_FULL;
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
    case UI_ACT_REPORT:
        ui_open_report(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_FOLLOWUPS:
        ui_open_followups(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_CONFLICTS:
        ui_open_conflicts(app);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_SEARCH:
        ui_open_search(app);
        return UI_HANDLED | UI_FULL;
    case UI_ACT_USER: /* sign out, then someone signs in with their password */
        if (!ui_sign_in(app, NULL, false))
            return UI_HANDLED | UI_QUIT;
        /* the new user starts on the queue of their role ("my cases" for
         * the front desk), as after signing in at start-up */
        switch_queue(s, td_qlist_default_for_roles(app->actor.roles));
        return UI_HANDLED | UI_FULL;
    case UI_ACT_DBCHECK:
        open_db_check(app);
        return UI_HANDLED | UI_FULL;
    default:
        return 0;
    }
}

/* Another clerk (another connection) committed: reread the rows on screen
 * from the top row's keys (one page and a capped count). */
static void q_poll(ui_app *app, ui_view *v)
{
    queue_state *s = v->state;
    long dv = ui_data_version(app);
    if (dv != s->data_version || v->resumed) {
        v->resumed = false;
        s->data_version = dv;
        ui_list_reload(&s->list);
        s->conflicts = td_sync_conflicts_open(app->db);
    }
}

static void q_destroy(ui_view *v)
{
    queue_state *s = v->state;
    ui_list_free(&s->list);
    td_qlist_close(s->ql);
    free(s);
}

static const ui_action queue_actions[] = {
    UI_ACT_HELP, UI_ACT_INTAKE, UI_ACT_OPEN, UI_ACT_REFRESH, UI_ACT_QUEUE_NEXT, UI_ACT_QUEUE_PREV,
    UI_ACT_SEARCH, UI_ACT_USER, UI_ACT_DBCHECK, UI_ACT_REPORT, UI_ACT_FOLLOWUPS, UI_ACT_QUIT, UI_LIST_ACTIONS,
    UI_ACT_QUEUE_MENU, UI_ACT_CONFLICTS, UI_ACT_NONE,
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
    int q = td_qlist_lookup(start);
    if (q < 0)
        q = td_qlist_default_for_roles(app->actor.roles);
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
