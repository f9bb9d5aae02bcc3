/* screens.h — constructors of the screens (one file each, ui/scr_*.c).
 * Each pushes its view on the application's stack. */
#ifndef UI_SCREENS_H
#define UI_SCREENS_H

#include "ui.h"
#include "lines.h"

/* Work queues (the home screen). */
void ui_open_queue(ui_app *app);

/* Help for the screen whose ops are given, generated from keys.def. */
void ui_open_help(ui_app *app, const ui_view_ops *for_view);

/* Case detail with tabs; key is a case id or case number.  Shows an error on
 * the status line and opens nothing when the case does not exist. */
void ui_open_case(ui_app *app, const char *key);

/* Person search (name, identity number, passport, phone, case number). */
void ui_open_search(ui_app *app);

/* Intake form: a new person (or an existing one) and a new case. */
void ui_open_intake(ui_app *app);

/* Intake form for a registered person (from search or a case): the person's
 * fields filled in from the register, the cursor on the case type; the case
 * is taken in for that person.  Status line set when the person cannot be
 * read (nothing opens). */
void ui_open_intake_for(ui_app *app, const char *person_id);

/* Person edit form for the person of a case. */
void ui_open_person_edit(ui_app *app, const char *person_id);

/* Cheap change detector: PRAGMA data_version of the connection (changes
 * when another connection committed). */
long ui_data_version(ui_app *app);

/* A read-only text page (notices, receipts): lines of text, scrollable. */
void ui_open_text(ui_app *app, const char *title, const char *text);

/* Document checklist of a case with the one-time notice (一次性告知书). */
void ui_open_docs(ui_app *app, const char *case_id);

/* Service tasks of a case (start, done, failed, cancel, assign, 督办). */
void ui_open_tasks(ui_app *app, const char *case_id);

/* Recognition score of a case: ledger, snapshot, what-if. */
void ui_open_score(ui_app *app, const char *case_id);

/* The case's 人才服务码 with its QR code. */
void ui_open_code(ui_app *app, const char *case_id);

/* Workflow actions (and 联审 sign-off) on a case as a pick-list; takes the
 * chosen one with expected_version guarding against stale screens.  Sets the
 * status line.  Returns true when something changed. */
bool ui_case_act(ui_app *app, const char *case_id, long expected_version);

/* Translated name of a service task status ("pending" → "待办理"). */
const char *ui_task_status_name(const char *status);

/* Fills b with the per-factor lines of a score ledger (ledger_json as stored
 * in score_snapshots). */
void ui_ledger_lines(ui_lines *b, const char *ledger_json);

/* The display name of a tier id into out: the tiers table's name, "not
 * recognised" (translated) for the scorer's "none", "-" for none at all, the
 * id itself when unknown.  Defined in scr_case.c. */
void ui_tier_label(ui_app *app, const char *tier_id, char *out, size_t len);

/* Statistics: dashboard and report tables (scr_report.c). */
void ui_open_report(ui_app *app);

/* The "follow-ups due" queue of the service specialist (scr_followups.c). */
void ui_open_followups(ui_app *app);

/* The sync conflicts review queue (scr_conflicts.c). */
void ui_open_conflicts(ui_app *app);

/* After a case was closed: asks for the applicant's rating (scr_rate.c). */
void ui_rate_after_close(ui_app *app, const char *case_id);

/* Appends the person's specialist and the case's rating to a detail tab
 * (case_extra.c). */
void ui_case_extra_lines(ui_app *app, ui_lines *b, const char *person_id, const char *case_id);

/* The print key: kind "receipt" | "notice" | "decision" of the case (id or
 * number) as PDF, kept beside the case and sent to the printer when there is
 * one; the status line says which (ui/print_ui.c). */
void ui_print_doc(ui_app *app, const char *kind, const char *case_key);

/* Asks which document to print (pick list), then ui_print_doc. */
void ui_print_menu(ui_app *app, const char *case_key);

#endif
