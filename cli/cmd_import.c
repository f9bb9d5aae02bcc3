/* cmd_import.c — talentdesk import persons FILE [--encoding E] [--dry-run]
 * [--reject FILE] [--batch N] [--sheet NAME] (FILE: .csv or .xlsx). */
#include "cli.h"
#include "io/decode.h"
#include "base/i18n.h"
#include "io/import.h"
#include "search/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void progress(void *ud, long rows, long long done, long long total)
{
    td_cli *c = ud;
    if (c->quiet)
        return;
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    fprintf(stderr, "\r%s %ld (%d%%)", _("rows read:"), rows, pct);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_import(td_cli *c, int argc, char **argv)
{
    td_import_opts o;
    memset(&o, 0, sizeof o);
    const char *enc = td_cli_opt(&argc, argv, "encoding");
    const char *rej = td_cli_opt(&argc, argv, "reject");
    const char *batch = td_cli_opt(&argc, argv, "batch");
    const char *sheet = td_cli_opt(&argc, argv, "sheet");
    o.dry_run = td_cli_flag(&argc, argv, "dry-run");
    if (argc != 3 || strcmp(argv[1], "persons") != 0)
        return td_cli_usage(c, "%s",
                            _("usage: talentdesk import persons FILE.csv|FILE.xlsx [--sheet NAME] "
                              "[--encoding auto|utf-8|gb18030] [--dry-run] [--reject FILE] [--batch N]"));
    o.sheet = sheet;
    if (enc && !td_enc_parse(enc, &o.encoding))
        return td_cli_usage(c, _("unknown encoding '%s' (utf-8, gb18030, gbk)"), enc);
    o.reject_path = rej;
    o.batch = batch ? atoi(batch) : 0;
    if (isatty(STDERR_FILENO) && !c->json) {
        o.progress = progress;
        o.progress_ud = c;
    }
    td_status s = td_cli_actor(c);
    if (s)
        return s;
    td_import_report rep;
    td_err err;
    td_err_clear(&err);
    s = td_import_persons(c->db, &c->actor, argv[2], &o, &rep, &err);
    if (s)
        return td_cli_fail(c, &err);
    if (!o.dry_run && rep.added > 0) {
        /* pay for the pinyin keys now rather than at the first search */
        td_err perr;
        td_err_clear(&perr);
        (void)td_search_refresh_pinyin(c->db, NULL, &perr);
    }
    if (c->json) {
        td_cli_json(json_pack("{s:s,s:s,s:b,s:i,s:i,s:i,s:i,s:i,s:o,s:o,s:s,s:i}", "import_id", rep.import_id, "encoding",
                              td_enc_name(rep.encoding), "dry_run", o.dry_run, "rows", (int)rep.rows, "added",
                              (int)rep.added, "skipped", (int)rep.skipped, "rejected", (int)rep.rejected,
                              "probable_duplicates", (int)rep.probable, "reject_file", td_json_str(rep.reject_path),
                              "ignored_columns", td_json_str(rep.ignored_columns), "sha256", rep.sha256,
                              "claimed_facts", (int)rep.facts));
        return TD_OK;
    }
    char line[1024];
    snprintf(line, sizeof line, _("%s: %ld rows (%s): %ld added, %ld already present, %ld rejected, "
                                  "%ld probable duplicates to review"),
             o.dry_run ? _("Dry run") : _("Imported"), rep.rows, td_enc_name(rep.encoding), rep.added,
             rep.skipped, rep.rejected, rep.probable);
    td_cli_print(line);
    putchar('\n');
    if (rep.reject_path[0]) {
        snprintf(line, sizeof line, _("Rejected rows with line numbers and reasons: %s"), rep.reject_path);
        td_cli_print(line);
        putchar('\n');
    }
    if (rep.ignored_columns[0]) {
        snprintf(line, sizeof line, _("Columns not imported: %s"), rep.ignored_columns);
        td_cli_print(line);
        putchar('\n');
    }
    if (rep.facts) {
        snprintf(line, sizeof line, _("%ld claimed facts (degree, returnee) recorded for a reviewer to verify"),
                 rep.facts);
        td_cli_print(line);
        putchar('\n');
    }
    if (rep.probable) {
        td_cli_print(_("See them with: talentdesk dupes list"));
        putchar('\n');
    }
    return TD_OK;
}
