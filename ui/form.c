/* form.c — see form.h. */
#include "form.h"
#include "draw.h"
#include "base/atomicfile.h"
#include "base/i18n.h"
#include "pick.h"
#include "base/text.h"
#include "base/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void ui_form_init(ui_form *f, ui_form_field *fields, int n)
{
    memset(f, 0, sizeof *f);
    f->fields = fields;
    f->n = n;
    for (int i = 0; i < n; i++) {
        ui_field_init(&fields[i].ed, fields[i].max_chars);
        fields[i].picked = -1;
    }
}

void ui_form_free(ui_form *f)
{
    for (int i = 0; i < f->n; i++) {
        for (int k = 0; k < f->fields[i].npick; k++) {
            free(f->fields[i].codes[k]);
            free(f->fields[i].labels[k]);
        }
        f->fields[i].npick = 0;
    }
}

void ui_form_pick_add(ui_form_field *fld, const char *code, const char *label)
{
    if (fld->npick >= UI_PICK_MAX)
        return;
    fld->codes[fld->npick] = strdup(code);
    fld->labels[fld->npick] = strdup(label);
    if (!fld->codes[fld->npick] || !fld->labels[fld->npick])
        abort();
    fld->npick++;
}

int ui_form_index(const ui_form *f, const char *key)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].key, key) == 0)
            return i;
    return -1;
}

void ui_form_get(const ui_form *f, const char *key, char *out, size_t len)
{
    int i = ui_form_index(f, key);
    if (len)
        out[0] = 0;
    if (i < 0)
        return;
    const ui_form_field *fld = &f->fields[i];
    if (fld->kind == UI_FK_PICK) {
        if (fld->picked >= 0)
            snprintf(out, len, "%s", fld->codes[fld->picked]);
    } else {
        ui_field_get(&fld->ed, out, len);
    }
}

void ui_form_set(ui_form *f, const char *key, const char *value)
{
    int i = ui_form_index(f, key);
    if (i < 0)
        return;
    ui_form_field *fld = &f->fields[i];
    if (fld->kind == UI_FK_PICK) {
        fld->picked = -1;
        for (int k = 0; k < fld->npick; k++)
            if (strcmp(fld->codes[k], value ? value : "") == 0)
                fld->picked = k;
    } else {
        ui_field_set(&fld->ed, value ? value : "");
    }
}

void ui_form_draw(ui_app *app, ui_view *v, ui_form *f, ui_rect r, const char *heading)
{
    (void)app;
    ui_put(r.y, r.x, r.w, heading, UI_S_HEADER);
    int label_w = 16;
    int box_w = r.w - label_w - 2;
    if (box_w > 50)
        box_w = 50;
    int rows = r.h - 1;
    if (f->cur < f->top)
        f->top = f->cur;
    if (f->cur >= f->top + rows)
        f->top = f->cur - rows + 1;
    for (int i = 0; i < rows; i++) {
        int k = f->top + i;
        int y = r.y + 1 + i;
        if (k >= f->n) {
            ui_blank(y, r.x, r.w, UI_S_NORMAL);
            continue;
        }
        ui_form_field *fld = &f->fields[k];
        char label[128];
        snprintf(label, sizeof label, "%s%s", _(fld->label), fld->required ? "*" : "");
        ui_put(y, r.x, label_w, label, fld->bad ? UI_S_ERROR : k == f->cur ? UI_S_HEADER : UI_S_DIM);
        enum ui_style st = k == f->cur ? UI_S_FIELD_ACTIVE : UI_S_FIELD;
        if (fld->kind == UI_FK_PICK) {
            char shown[300];
            snprintf(shown, sizeof shown, "%s", fld->picked >= 0 ? fld->labels[fld->picked] : "");
            ui_put(y, r.x + label_w, box_w, shown, st);
            ui_put(y, r.x + label_w + box_w + 1, r.w - label_w - box_w - 1,
                   k == f->cur ? _("F4/Enter: choose") : "", UI_S_DIM);
            if (k == f->cur) {
                v->cursor_visible = true;
                v->cur_y = y;
                v->cur_x = r.x + label_w;
            }
        } else {
            char view[UI_FIELD_MAX * 4 + 1];
            int cc = 0;
            ui_field_view(&fld->ed, box_w, view, sizeof view, &cc);
            ui_put(y, r.x + label_w, box_w, view, st);
            if (fld->kind == UI_FK_DATE)
                ui_put(y, r.x + label_w + box_w + 1, r.w - label_w - box_w - 1, _("e.g. 20260315"), UI_S_DIM);
            else if (fld->hint || (fld->suggest && k == f->cur)) {
                char val[UI_FIELD_MAX * 4 + 1];
                ui_field_get(&fld->ed, val, sizeof val);
                const char *h = fld->hint && val[0] ? fld->hint(val) : NULL;
                ui_put(y, r.x + label_w + box_w + 1, r.w - label_w - box_w - 1,
                       h && *h ? h : k == f->cur && fld->suggest ? _("F4: choose") : "", UI_S_DIM);
            }
            if (k == f->cur) {
                v->cursor_visible = true;
                v->cur_y = y;
                v->cur_x = r.x + label_w + cc;
            }
        }
    }
}

/* Built-in checks (required, dates), then the screen's own. */
static bool check_field(ui_form *f, int idx, td_err *err)
{
    ui_form_field *fld = &f->fields[idx];
    char val[UI_FIELD_MAX * 4 + 1];
    ui_form_get(f, fld->key, val, sizeof val);
    if (fld->kind == UI_FK_DATE && val[0]) {
        td_date d;
        if (!td_date_parse(val, &d)) {
            td_err_set(err, TD_EINVALID, _("%s: not a valid date (type 20260315 or 2026-03-15)"), _(fld->label));
            return false;
        }
        char norm[TD_DATE_LEN];
        td_date_format(d, norm);
        if (strcmp(norm, val) != 0) {
            bool ch = fld->ed.changed;
            ui_field_set(&fld->ed, norm);
            fld->ed.changed = ch;
        }
    }
    if (f->check && !f->check(f, idx, err, f->ud))
        return false;
    return true;
}

bool ui_form_check_current(ui_app *app, ui_form *f)
{
    td_err err;
    td_err_clear(&err);
    if (!check_field(f, f->cur, &err)) {
        f->fields[f->cur].bad = true;
        ui_status_err(app, &err);
        return false;
    }
    if (err.msg[0]) /* valid, with a note for the clerk (e.g. what normalising changed) */
        ui_status(app, false, "%s", err.msg);
    f->fields[f->cur].bad = false;
    return true;
}

bool ui_form_check_all(ui_app *app, ui_form *f)
{
    int first = -1;
    td_err first_err;
    td_err_clear(&first_err);
    for (int i = 0; i < f->n; i++) {
        ui_form_field *fld = &f->fields[i];
        td_err err;
        td_err_clear(&err);
        bool ok = check_field(f, i, &err);
        if (ok && fld->required) {
            char val[UI_FIELD_MAX * 4 + 1];
            ui_form_get(f, fld->key, val, sizeof val);
            if (!val[0]) {
                td_err_set(&err, TD_EINVALID, _("%s: this field is required"), _(fld->label));
                ok = false;
            }
        }
        fld->bad = !ok;
        if (!ok && first < 0) {
            first = i;
            first_err = err;
        }
    }
    if (first < 0)
        return true;
    f->cur = first;
    ui_status_err(app, &first_err);
    return false;
}

static void changed(ui_app *app, ui_form *f)
{
    f->dirty = true;
    if (f->draft_path[0] && ui_form_draft_save(f) != 0)
        ui_status(app, true, _("cannot write the draft %s: %s"), f->draft_path, strerror(errno));
}

static unsigned open_pick_typed(ui_app *app, ui_form *f, const char *typed)
{
    ui_form_field *fld = &f->fields[f->cur];
    if (fld->kind != UI_FK_PICK && fld->suggest) {
        /* a text field with suggestions (nationality): the values matching
         * what is typed so far, the chosen code goes into the field */
        char typed_now[UI_FIELD_MAX * 4 + 1];
        ui_field_get(&fld->ed, typed_now, sizeof typed_now);
        const char *codes[UI_PICK_MAX], *labels[UI_PICK_MAX];
        size_t n = fld->suggest(typed_now, codes, labels, UI_PICK_MAX);
        if (n == 0 && typed_now[0]) /* nothing matches the text: the whole list */
            n = fld->suggest("", codes, labels, UI_PICK_MAX);
        if (n == 0) {
            ui_status(app, true, "%s", _("this field has no list: type the value"));
            return UI_HANDLED;
        }
        static char shown[UI_PICK_MAX][200];
        const char *items[UI_PICK_MAX];
        for (size_t i = 0; i < n; i++) {
            snprintf(shown[i], sizeof shown[i], "%s  %s", labels[i], codes[i]);
            items[i] = shown[i];
        }
        int k = ui_pick(app, _(fld->label), items, (int)n, 0);
        if (k >= 0) {
            ui_field_set(&fld->ed, codes[k]);
            fld->ed.changed = true;
            fld->bad = false;
            changed(app, f);
        }
        return UI_HANDLED | UI_FULL;
    }
    if (fld->kind != UI_FK_PICK) {
        ui_status(app, true, "%s", _("this field has no list: type the value"));
        return UI_HANDLED;
    }
    int k = ui_pick_typed(app, _(fld->label), (const char *const *)fld->labels, fld->npick, fld->picked, typed);
    if (k >= 0 && k != fld->picked) {
        fld->picked = k;
        changed(app, f);
    }
    return UI_HANDLED | UI_FULL;
}

static unsigned open_pick(ui_app *app, ui_form *f)
{
    return open_pick_typed(app, f, NULL);
}

unsigned ui_form_key(ui_app *app, ui_form *f, ui_action a, ui_key key)
{
    ui_form_field *fld = &f->fields[f->cur];
    switch (a) {
    case UI_ACT_FIELD_NEXT:
        if (fld->kind == UI_FK_PICK && (key == '\n' || key == '\r') && fld->picked < 0) {
            open_pick(app, f);
            if (f->fields[f->cur].picked < 0)
                return UI_HANDLED | UI_FULL;
        }
        /* the field is checked as the cursor leaves it, and a bad value is
         * said and marked, but the clerk may go anywhere: only the save is
         * refused (ui_form_check_all) */
        if (ui_form_check_current(app, f))
            app->status[0] = 0;
        if (f->cur < f->n - 1)
            f->cur++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_FIELD_PREV:
        if (ui_form_check_current(app, f))
            app->status[0] = 0;
        if (f->cur > 0)
            f->cur--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PICK:
        return open_pick(app, f);
    case UI_ACT_SAVE:
    case UI_ACT_CANCEL:
        return 0;
    default:
        break;
    }
    if (fld->kind == UI_FK_PICK) {
        if (key == ' ')
            return open_pick(app, f);
        if (!UI_KEY_IS_CODE(key) && key > ' ' && key != 127) {
            /* typing into a pick field opens its list, narrowed to what
             * was typed (人 → the services with 人) */
            char b[5] = { 0 };
            td_utf8_encode((uint32_t)key, b);
            return open_pick_typed(app, f, b);
        }
        return UI_HANDLED;
    }
    bool was = fld->ed.changed;
    fld->ed.changed = false;
    bool used = ui_field_key(&fld->ed, a, key);
    if (fld->ed.full_hit) {
        ui_status(app, true, _("%s holds at most %d characters: the rest was not typed"), _(fld->label),
                  fld->ed.max_chars);
        fld->ed.full_hit = false;
    }
    if (fld->ed.changed)
        changed(app, f);
    fld->ed.changed = fld->ed.changed || was;
    return used ? UI_HANDLED | UI_REDRAW : 0;
}

/* ---- drafts -------------------------------------------------------------- */

static int mkdirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return 0;
}

/* Drafts per window: each running program holds one "slot" per user — an
 * flock on <dir>/<user>.slot<N>.lock, kept until the process ends — and
 * writes its drafts under that slot, so two windows of one clerk never
 * write the same draft.  A crashed window's lock goes with it, so the next
 * program to start takes its slot and finds its drafts.  Slot 0 keeps the
 * plain file names.  Returns the slot (0 when locking is impossible). */
#define DRAFT_SLOTS 32
static int draft_slot(const char *dir, const char *safe_user)
{
    static struct {
        char user[64];
        int slot;
    } held[8];
    static int nheld;
    for (int i = 0; i < nheld; i++)
        if (strcmp(held[i].user, safe_user) == 0)
            return held[i].slot;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/x", dir);
    int slot = 0;
    if (mkdirs(probe) == 0) {
        for (int k = 0; k < DRAFT_SLOTS; k++) {
            char lock[4096];
            snprintf(lock, sizeof lock, "%s/%s.slot%d.lock", dir, safe_user, k);
            int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            if (fd < 0)
                break;
            if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
                slot = k; /* the descriptor stays open: the lock lives as long as this program */
                break;
            }
            close(fd);
        }
    }
    if (nheld < (int)(sizeof held / sizeof held[0])) {
        snprintf(held[nheld].user, sizeof held[nheld].user, "%s", safe_user);
        held[nheld++].slot = slot;
    }
    return slot;
}

/* $XDG_STATE_HOME/talentdesk/<sub> (or ~/.local/state/…) into dir. */
static void state_dir(const char *sub, char *dir, size_t len)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (state && *state)
        snprintf(dir, len, "%s/talentdesk/%s", state, sub);
    else
        snprintf(dir, len, "%s/.local/state/talentdesk/%s", home && *home ? home : "/tmp", sub);
}

/* user names are [A-Za-z0-9_.-] by the users table's rules; anything else
 * becomes '_' so the name cannot leave the directory */
static void safe_user(const char *user, char safe[64])
{
    size_t i = 0;
    for (; user && user[i] && i < 63; i++) {
        char c = user[i];
        safe[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                   c == '_')
                      ? c
                      : '_';
    }
    safe[i] = 0;
}

void ui_form_draft_path(ui_form *f, const char *user, const char *name)
{
    char dir[3000], safe[64];
    state_dir("drafts", dir, sizeof dir);
    safe_user(user, safe);
    int slot = draft_slot(dir, safe);
    if (slot == 0)
        snprintf(f->draft_path, sizeof f->draft_path, "%s/%s-%s.json", dir, safe, name);
    else
        snprintf(f->draft_path, sizeof f->draft_path, "%s/%s-%s.w%d.json", dir, safe, name, slot);
}

static bool listed(const char *key, const char *const *keys)
{
    if (!keys)
        return true;
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

/* Writes the fields in keys (NULL = all, with the cursor) to path as JSON:
 * owner-only, complete or absent (atomicfile).  0 or -1. */
static int write_fields(const ui_form *f, const char *path, const char *const *keys, bool merge)
{
    if (mkdirs(path) != 0)
        return -1;
    json_error_t je;
    json_t *o = merge ? json_load_file(path, 0, &je) : NULL; /* fields not written now are kept */
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    for (int i = 0; i < f->n; i++) {
        if (!listed(f->fields[i].key, keys))
            continue;
        char val[UI_FIELD_MAX * 4 + 1];
        ui_form_get(f, f->fields[i].key, val, sizeof val);
        json_object_set_new(o, f->fields[i].key, json_string(val));
    }
    if (!keys)
        json_object_set_new(o, "_cursor", json_integer(f->cur));
    /* Drafts hold personal data: owner-only, complete or absent (atomicfile:
     * temporary beside the draft, fsync, rename). */
    td_afile af;
    if (td_afile_open(&af, path, 0600, NULL) != TD_OK) {
        json_decref(o);
        return -1;
    }
    int rc = json_dumpf(o, td_afile_stream(&af), JSON_COMPACT);
    json_decref(o);
    if (rc != 0) {
        td_afile_abort(&af);
        return -1;
    }
    return td_afile_commit(&af, NULL) == TD_OK ? 0 : -1;
}

int ui_form_draft_save(const ui_form *f)
{
    if (!f->draft_path[0])
        return 0;
    return write_fields(f, f->draft_path, NULL, false);
}

/* $XDG_STATE_HOME/talentdesk/defaults/<user>-<name>.json */
static void defaults_path(const char *user, const char *name, char *out, size_t len)
{
    char dir[3000], safe[64];
    state_dir("defaults", dir, sizeof dir);
    safe_user(user, safe);
    snprintf(out, len, "%s/%s-%s.json", dir, safe, name);
}

int ui_form_defaults_save(const ui_form *f, const char *user, const char *name, const char *const *keys)
{
    char path[4096];
    defaults_path(user, name, path, sizeof path);
    return write_fields(f, path, keys, true);
}

int ui_form_defaults_load(ui_form *f, const char *user, const char *name, const char *const *keys)
{
    char path[4096];
    defaults_path(user, name, path, sizeof path);
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return 0;
    }
    int n = 0;
    for (int i = 0; i < f->n; i++) {
        if (!listed(f->fields[i].key, keys))
            continue;
        json_t *v = json_object_get(o, f->fields[i].key);
        if (!json_is_string(v))
            continue;
        ui_form_field *fld = &f->fields[i];
        const char *val = json_string_value(v);
        if (fld->kind == UI_FK_PICK) { /* a code no longer on the list (a retired service) is skipped */
            bool known = false;
            for (int k = 0; k < fld->npick && !known; k++)
                known = strcmp(fld->codes[k], val) == 0;
            if (!known)
                continue;
        }
        ui_form_set(f, fld->key, val);
        n++;
    }
    json_decref(o);
    return n;
}

bool ui_form_draft_load(ui_form *f)
{
    if (!f->draft_path[0])
        return false;
    json_error_t je;
    json_t *o = json_load_file(f->draft_path, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return false;
    }
    for (int i = 0; i < f->n; i++) {
        json_t *v = json_object_get(o, f->fields[i].key);
        if (json_is_string(v))
            ui_form_set(f, f->fields[i].key, json_string_value(v));
    }
    json_t *c = json_object_get(o, "_cursor");
    if (json_is_integer(c) && json_integer_value(c) >= 0 && json_integer_value(c) < f->n)
        f->cur = (int)json_integer_value(c);
    json_decref(o);
    f->dirty = true;
    return true;
}

void ui_form_draft_remove(const ui_form *f)
{
    if (f->draft_path[0])
        unlink(f->draft_path);
}
