/* wf_docs_all.c — "mark all received" on a checklist (see wf_docs.h). */
#include "wf_docs.h"

#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pending {
    char (*doc)[48];
    long *version;
    int n, cap;
} pending;

static int collect_missing(const td_wf_doc *d, void *ud)
{
    pending *p = ud;
    if (strcmp(d->status, "missing") != 0)
        return 0;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->doc = realloc(p->doc, sizeof *p->doc * (size_t)p->cap);
        p->version = realloc(p->version, sizeof *p->version * (size_t)p->cap);
        if (!p->doc || !p->version)
            abort();
    }
    snprintf(p->doc[p->n], sizeof p->doc[p->n], "%s", d->doc_type_id);
    p->version[p->n] = d->row_version;
    p->n++;
    return 0;
}

td_status td_wf_docs_mark_missing(td_db *db, const td_actor *a, const char *case_key, const char *status,
                                  int *marked, bool *returned, td_err *err)
{
    if (marked)
        *marked = 0;
    if (returned)
        *returned = false;
    if (!status || (strcmp(status, "received") != 0 && strcmp(status, "verified") != 0))
        return td_err_set(err, TD_EINVALID, _("Only received or verified can be given to every missing document, "
                                              "not '%s'"),
                          status ? status : "");
    pending p = { 0 };
    td_status s = td_wf_docs_each(db, case_key, collect_missing, &p, err);
    if (s)
        return s;
    if (p.n == 0) {
        free(p.doc);
        free(p.version);
        return TD_OK;
    }
    /* one transaction: each row through td_wf_doc_mark (roles, state,
     * audit, the return from 待补正), all of them or none */
    if ((s = td_db_begin_outer(db, err))) {
        free(p.doc);
        free(p.version);
        return s;
    }
    for (int i = 0; i < p.n && !s; i++) {
        bool back = false;
        s = td_wf_doc_mark(db, a, case_key, p.doc[i], status, NULL, p.version[i], &back, err);
        if (!s && back && returned)
            *returned = true;
    }
    if (s) {
        td_db_end_outer(db, false, NULL);
        if (returned)
            *returned = false;
    } else {
        s = td_db_end_outer(db, true, err);
        if (!s && marked)
            *marked = p.n;
    }
    free(p.doc);
    free(p.version);
    return s;
}
