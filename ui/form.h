/* form.h — forms built from ui_field editors: labels, Tab / Shift-Tab /
 * Enter between fields, validation when leaving a field (message on the
 * status line and the field marked, but the cursor moves on: only the save
 * is refused, and then the cursor goes to the first bad field), pick-lists for coded fields, dates typed as
 * 20260315 or 2026-03-15, Esc asks before throwing typed text away, and a
 * draft written on every change so a crash or a dropped SSH session loses
 * nothing. */
#ifndef UI_FORM_H
#define UI_FORM_H

#include "field.h"
#include "ui.h"

enum ui_field_kind { UI_FK_TEXT, UI_FK_DATE, UI_FK_PICK };

#define UI_PICK_MAX 64

typedef struct ui_form_field {
    const char *key;           /* "name", "id_no", … (drafts, validation) */
    const char *label;         /* N_() */
    enum ui_field_kind kind;
    int max_chars;
    bool required;
    /* pick-lists: codes and display labels (owned by the form) */
    char *codes[UI_PICK_MAX];
    char *labels[UI_PICK_MAX];
    int npick;
    int picked;                /* index, -1 none */
    bool bad;                  /* failed its check when last left (drawn marked) */
    ui_field ed;               /* text and date fields */
    /* optional, text fields: F4 offers up to max values matching what is
     * typed (codes[i] goes into the field, labels[i] is shown beside it;
     * static storage); returns how many */
    size_t (*suggest)(const char *typed, const char **codes, const char **labels, size_t max);
    /* optional, text fields: what the value means, shown beside the box
     * (中国香港 for HKG); NULL or "" for nothing.  Static storage. */
    const char *(*hint)(const char *value);
} ui_form_field;

typedef struct ui_form ui_form;

/* Validates field idx as the cursor leaves it; returns false with a
 * message in err to keep the cursor there.  May normalise the field. */
typedef bool (*ui_form_check)(ui_form *f, int idx, td_err *err, void *ud);

struct ui_form {
    ui_form_field *fields;
    int n;
    int cur;
    bool dirty;                /* typed since opening / last save */
    char draft_path[4096];     /* "" = no draft */
    ui_form_check check;
    void *ud;
    int top;                   /* first field shown (scrolling) */
};

/* Initialises f over fields[0..n) (their kinds, labels, max_chars set by the
 * caller; editors are initialised here). */
void ui_form_init(ui_form *f, ui_form_field *fields, int n);

/* Frees pick-list strings. */
void ui_form_free(ui_form *f);

/* Adds an item to a pick field (copied). */
void ui_form_pick_add(ui_form_field *fld, const char *code, const char *label);

/* Current value of a field as UTF-8 (the code for pick fields). */
void ui_form_get(const ui_form *f, const char *key, char *out, size_t len);

/* Sets a field's value (text, or the code for pick fields); not "dirty". */
void ui_form_set(ui_form *f, const char *key, const char *value);

/* Index of the field with key, -1 when none. */
int ui_form_index(const ui_form *f, const char *key);

/* Draws the form into r; places the cursor in the active field. */
void ui_form_draw(ui_app *app, ui_view *v, ui_form *f, ui_rect r, const char *heading);

/* Handles a key.  Returns ui_flags; UI_ACT_SAVE and UI_ACT_CANCEL are left to
 * the screen (returns 0 for them). */
unsigned ui_form_key(ui_app *app, ui_form *f, ui_action a, ui_key key);

/* Checks the current field (as when leaving it); false with the status line
 * set when it is not valid. */
bool ui_form_check_current(ui_app *app, ui_form *f);

/* Before saving: checks every field (its own check, then "required").  True
 * when all are valid.  Otherwise false, with the cursor put on the first bad
 * field, its message on the status line, and every bad field marked.  Moving
 * between fields never blocks: only the save does, through this. */
bool ui_form_check_all(ui_app *app, ui_form *f);

/* Drafts: path for form `name` of the user ($XDG_STATE_HOME or
 * ~/.local/state/talentdesk/drafts/<user>-<name>.json).  Per window: a
 * second program of the same user running at the same time writes
 * <user>-<name>.w1.json (and so on), holding an flock on
 * <user>.slot<N>.lock while it runs; a program started after a crash takes
 * the freed slot and so finds that window's drafts. */
void ui_form_draft_path(ui_form *f, const char *user, const char *name);

/* Writes the draft now (atomic: temporary file then rename).  0 or -1. */
int ui_form_draft_save(const ui_form *f);

/* Loads a draft into the fields; true when one existed. */
bool ui_form_draft_load(ui_form *f);

/* Deletes the draft (after saving or discarding). */
void ui_form_draft_remove(const ui_form *f);

/* Remembered defaults (the values a user last saved in form `name`, offered
 * the next time): ui_form_defaults_save writes the fields named in keys
 * (NULL-terminated) to $XDG_STATE_HOME/talentdesk/defaults/<user>-<name>.json
 * (atomic, owner-only; other values already in the file are kept; 0 or -1); ui_form_defaults_load sets those fields
 * from it — a pick code no longer on the field's list is skipped — and
 * returns how many it set (0 when there is no file).  Neither marks the form
 * dirty. */
int ui_form_defaults_save(const ui_form *f, const char *user, const char *name, const char *const *keys);
int ui_form_defaults_load(ui_form *f, const char *user, const char *name, const char *const *keys);

/* The actions forms accept (append to a screen's table). */
#define UI_FORM_ACTIONS                                                                            \
    UI_ACT_FIELD_NEXT, UI_ACT_FIELD_PREV, UI_ACT_ED_LEFT, UI_ACT_ED_RIGHT, UI_ACT_ED_HOME,          \
        UI_ACT_ED_END, UI_ACT_ED_BS, UI_ACT_ED_DEL, UI_ACT_ED_KILL, UI_ACT_ED_CLEAR

#endif
