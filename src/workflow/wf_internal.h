/* wf_internal.h — shared between the workflow engine's files (workflow.c,
 * wf_engine.c, wf_docs.c, wf_tasks.c, wf_signoff.c …).  Not a public API. */
#ifndef TD_WF_INTERNAL_H
#define TD_WF_INTERNAL_H

#include "policy/calendar.h"
#include "cases/case.h"
#include "workflow.h"

#include <stdint.h>

#define WF_MAX_STATES 32
#define WF_MAX_TRANS 64
#define WF_MAX_LIST 12
#define WF_MAX_DEPTS 14

enum wf_guard {
    G_HAS_SERVICES,
    G_DOCS_COMPLETE,
    G_NOTICE_ISSUED,
    G_GREEN,
    G_HAS_SCORE,
    G_FOUR_EYES,
    G_SIGNOFFS_COMPLETE,
    G_APPROVED,
    G_TASKS_FINISHED,
    G_COUNT
};

enum wf_effect {
    E_SET_STEP_DUE,
    E_NOTICE_DEADLINE,
    E_START_TASKS,
    E_CANCEL_TASKS,
    E_ASSIGN_SPECIALIST,
    E_STAMP_CLOSED,
    E_ISSUE_TALENT_CODE,
    E_RESET_TASKS,
    E_COUNT
};

#define WF_CT_RECOGNITION 1u
#define WF_CT_SERVICE 2u

typedef struct wf_state {
    char code[TD_WF_STATE_LEN];
    char *name, *name_en;
    bool terminal;
    int due_days;          /* 0 = none */
    bool docs_editable;
    int line;
} wf_state;

typedef struct wf_trans {
    char name[TD_WF_NAME_LEN];
    char *label, *label_en;
    uint64_t from;         /* bit i = state i */
    int to;                /* state index, or -1 for @previous */
    unsigned roles;
    int guards[WF_MAX_LIST];
    int nguards;
    int effects[WF_MAX_LIST];
    int neffects;
    unsigned case_types;
    bool reason_required, exception, approval, is_auto;
    char depts[WF_MAX_DEPTS][32];
    int ndepts;
    int depts_line;
    int on_signoff_return; /* transition index or -1 */
    int line;
} wf_trans;

struct td_wf {
    char *file;            /* name for messages */
    char *name;
    int initial;
    int notice_days;
    int on_docs_incomplete; /* transition index or -1 */
    int on_docs_supplied;
    unsigned green_roles;
    wf_state states[WF_MAX_STATES];
    int nstates;
    wf_trans trans[WF_MAX_TRANS];
    int ntrans;
};

int wf_state_index(const td_wf *wf, const char *code);
int wf_trans_index(const td_wf *wf, const char *name);
const char *wf_trans_label(const wf_trans *t);

/* One engine call in progress: the case loaded inside the transaction. */
typedef struct wf_ctx {
    td_db *db;
    const td_actor *actor;
    const td_wf *wf;
    td_case c;
    char version[TD_UUID_LEN]; /* workflow version the case is evaluated under */
    td_calendar *cal;      /* loaded on first use, freed by wf_ctx_done */
} wf_ctx;

void wf_ctx_done(wf_ctx *x);
td_status wf_ctx_calendar(wf_ctx *x, td_calendar **out, td_err *err);

/* Loads the case (inside the caller's transaction) and its workflow into x;
 * stamps the current workflow version on a case that has none.  Checks
 * expected_version (> 0) → TD_ECONFLICT. */
td_status wf_ctx_open(wf_ctx *x, td_db *db, const td_actor *a, const char *case_key,
                      long expected_version, td_err *err);

/* Free text typed by a person (reason, note, result): NULL or "" gives
 * *out = NULL; otherwise *out is the normalised copy (td_text_normalize,
 * caller frees).  TD_EINVALID when it has control characters or is longer
 * than WF_TEXT_MAX characters. */
#define WF_TEXT_MAX 500
td_status wf_clean_text(const char *in, char **out, td_err *err);

/* WF_CT_RECOGNITION or WF_CT_SERVICE for the case's type. */
unsigned wf_case_type_bit(const td_case *c);

/* The standard stale-row message. */
td_status wf_conflict(td_err *err);

/* Checks whether transition t may be taken now (state, case type, roles
 * unless skip_roles, reason, guards).  TD_OK or the first refusal. */
td_status wf_check(wf_ctx *x, const wf_trans *t, const char *reason, bool skip_roles, td_err *err);

/* Applies transition t (already checked) inside the caller's transaction:
 * moves the case, event, audit, effects, sign-off rows.  Reloads x->c. */
td_status wf_apply(wf_ctx *x, const wf_trans *t, const char *reason, td_wf_result *res,
                   td_err *err);

/* The state a suspended case came from ("" when none). */
td_status wf_previous_state(td_db *db, const char *case_id, char out[TD_WF_STATE_LEN], td_err *err);

/* The current 联审 round of a case: the id of the case_events row that
 * brought the case into its current state ("" before any transition). */
td_status wf_round(td_db *db, const char *case_id, char out[TD_UUID_LEN], td_err *err);

/* Updates cases.updated_at / row_version for a change made to a case's
 * children (documents, tasks, sign-offs) so that other clerks holding the
 * case see it changed; no version check (the caller holds the write lock). */
td_status wf_touch_case(td_db *db, const char *case_id, td_err *err);

/* Today's date as text, and date arithmetic on text dates. */
void wf_today(char out[TD_DATE_LEN]);

#endif
