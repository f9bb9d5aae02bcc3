/* printdoc.h — the printed documents of a case, as data: a title, labelled
 * fields, numbered items, paragraphs and a QR code, in the order printed.
 * The builders read the core (case, person, tasks, documents, notice,
 * talent code) and never draw; pdf.h and td_printdoc_text render. */
#ifndef TD_PRINTDOC_H
#define TD_PRINTDOC_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

#include <stddef.h>

typedef enum td_pblock_kind {
    TD_PB_TITLE,    /* the document's name, large and centred */
    TD_PB_SUBTITLE, /* the issuing station, centred */
    TD_PB_FIELD,    /* label: text */
    TD_PB_HEADING,  /* a section heading */
    TD_PB_ITEM,     /* one line of a list (numbered by the builder) */
    TD_PB_TEXT,     /* a paragraph */
    TD_PB_QR,       /* a QR code of `text`, captioned with `label` */
} td_pblock_kind;

typedef struct td_pblock {
    td_pblock_kind kind;
    char *label;    /* owned, "" when none */
    char *text;     /* owned */
} td_pblock;

typedef struct td_printdoc {
    char kind[16];        /* "receipt" | "notice" | "decision" */
    char case_no[32];
    td_pblock *b;         /* owned */
    size_t n, cap;
} td_printdoc;

/* Appends a block (label may be NULL); strings are copied (aborts on OOM). */
void td_printdoc_add(td_printdoc *d, td_pblock_kind kind, const char *label, const char *text);

/* Frees the blocks; *d may be reused after td_printdoc_free. */
void td_printdoc_free(td_printdoc *d);

/* The 受理回执 of a case (id or case number): case number, applicant, the
 * services asked for with their promised working days and due dates,
 * documents received, the clerk who took it in, the station, the date and a
 * QR code of the case number.  TD_ENOTFOUND for an unknown case.  Read only. */
td_status td_print_receipt(td_db *db, const char *case_key, td_printdoc *out, td_err *err);

/* The case's latest 一次性告知书 (or a notice by its number), as issued.
 * TD_ENOTFOUND when the case has none.  Read only. */
td_status td_print_notice(td_db *db, const char *key, td_printdoc *out, td_err *err);

/* The decision notice of a recognised case: applicant, tier, the 人才服务码
 * and its QR code.  TD_ENOTFOUND when the case has no talent code (not
 * approved yet).  Read only. */
td_status td_print_decision(td_db *db, const char *case_key, td_printdoc *out, td_err *err);

/* Builds kind ("receipt", "notice", "decision") for key; TD_EINVALID for
 * another kind.  Internal to the core (as the three above): front ends
 * call td_print_build_as. */
td_status td_print_build(td_db *db, const char *kind, const char *key, td_printdoc *out, td_err *err);

/* td_print_build for the signed-in user a: the role to read case data and
 * the record scope of the case (or the notice's case) first (TD_EDENIED,
 * audited). */
td_status td_print_build_as(td_db *db, const td_actor *a, const char *kind, const char *key, td_printdoc *out,
                            td_err *err);

/* The document as plain UTF-8 text lines (for receipt printers and the
 * terminal; data is sanitised).  Newly allocated, caller frees; never NULL. */
char *td_printdoc_text(const td_printdoc *d);

#endif
