/* cmd_sync.c — talentdesk sync: keys | card FILE | enrol CARD | enrol-station CODE --name N [--kind K] --out FILE |
 * join FILE [--data DIR] | revoke CODE | export --to CODE FILE [--new] | import FILE | status |
 * conflicts [list [--all] | show ID | resolve ID (--keep mine|theirs | --value V | --dismiss) [--reason R]]. */
#include "cli.h"

#include "base/i18n.h"
#include "auth/account.h"
#include "auth/password.h"
#include "base/paths.h"
#include "setup/policy_load.h"
#include "sync/conflicts.h"
#include "sync/enrol.h"
#include "sync/keys.h"
#include "sync/sync.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const usage_text =
    N_("usage: talentdesk sync keys | card FILE | enrol CARD | enrol-station CODE --name NAME [--kind overseas] "
       "--out FILE | join FILE [--password-stdin] | revoke CODE | export --to STATION FILE [--new] | import FILE | status | "
       "conflicts [list [--all] | show ID | resolve ID --keep mine|theirs | --value V | --dismiss [--reason R]]");

static void say(td_cli *c, const char *msg)
{
    if (!c->quiet)
        td_cli_print(msg);
}

static const char *kind_name(const char *k)
{
    if (strcmp(k, "field") == 0)
        return _("same field edited at two places");
    if (strcmp(k, "deleted") == 0)
        return _("edited here, deleted there (or the other way)");
    if (strcmp(k, "missing") == 0)
        return _("the record is not here");
    return _("the record clashes with one here (same identity number or name)");
}

static const char *status_name(const char *s)
{
    if (strcmp(s, "open") == 0)
        return _("open");
    if (strcmp(s, "kept") == 0)
        return _("kept ours");
    if (strcmp(s, "taken") == 0)
        return _("took theirs");
    if (strcmp(s, "edited") == 0)
        return _("new value written");
    if (strcmp(s, "dismissed") == 0)
        return _("dismissed");
    return _("settled by a later edit");
}

static json_t *conflict_json(const td_sync_conflict *k)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", k->id,
                     "table", k->tbl,
                     "row_id", k->row_id, "field", k->col, "kind", k->kind, "base", k->base, "ours", k->mine,
                     "theirs", k->theirs, "current", k->current, "station", k->station, "user", k->user, "at", k->at,
                     "status", k->status, "case_no", k->case_no, "reason", k->reason, "ours_station", k->mine_station,
                     "ours_user", k->mine_user, "ours_at", k->mine_at);
}

typedef struct lst {
    json_t *arr;
    int n;
} lst;

static int on_conflict(const td_sync_conflict *k, void *ud)
{
    lst *l = ud;
    l->n++;
    if (l->arr) {
        json_array_append_new(l->arr, conflict_json(k));
        return 0;
    }
    char id[9], what[120];
    snprintf(id, sizeof id, "%.8s", k->id);
    snprintf(what, sizeof what, "%s.%s", k->tbl, k->col);
    const char *cells[7] = { id, k->case_no, what, k->mine, k->theirs, k->station, status_name(k->status) };
    int w[7] = { 8, 16, 22, 16, 16, 6, 0 };
    td_cli_row(7, cells, w);
    return 0;
}

static int conflicts(td_cli *c, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "list";
    td_err err;
    td_err_clear(&err);
    td_status s;
    if (strcmp(sub, "list") == 0) {
        bool all = td_cli_flag(&argc, argv, "all");
        if ((s = td_cli_open_db(c)))
            return s;
        lst l = { c->json ? json_array() : NULL, 0 };
        if (!c->json) {
            const char *h[7] = { _("ID"), _("Case"), _("Field"), _("Ours"), _("Theirs"), _("From"), _("Status") };
            int w[7] = { 8, 16, 22, 16, 16, 6, 0 };
            td_cli_row(7, h, w);
        }
        if ((s = td_sync_conflicts_each(c->db, all ? NULL : "open", on_conflict, &l, &err))) {
            json_decref(l.arr);
            return td_cli_fail(c, &err);
        }
        if (c->json)
            td_cli_json(l.arr);
        else if (!c->quiet) {
            char m[128];
            snprintf(m, sizeof m, _("%d conflicts"), l.n);
            td_cli_print(m);
            td_cli_print("\n");
        }
        return TD_OK;
    }
    if (argc < 3)
        return td_cli_usage(c, "%s", _(usage_text));
    const char *id = argv[2];
    if (strcmp(sub, "show") == 0) {
        if ((s = td_cli_open_db(c)))
            return s;
        td_sync_conflict k;
        if ((s = td_sync_conflict_get(c->db, id, &k, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(conflict_json(&k));
            return TD_OK;
        }
        char line[1400];
        const char *labels[] = { _("Conflict"), _("Case"), _("Record"), _("Field"), _("Kind"), _("Status") };
        const char *vals[] = { k.id, k.case_no, k.row_id, k.col, kind_name(k.kind), status_name(k.status) };
        for (int i = 0; i < 6; i++) {
            const char *cells[2] = { labels[i], vals[i] };
            int w[2] = { 14, 0 };
            td_cli_row(2, cells, w);
        }
        td_cli_print("\n");
        const char *h[3] = { _("Base (what they saw)"), _("Ours (here)"), _("Theirs") };
        int w[3] = { 24, 24, 0 };
        td_cli_row(3, h, w);
        const char *v[3] = { k.base, k.mine, k.theirs };
        td_cli_row(3, v, w);
        snprintf(line, sizeof line, _("Theirs was entered at %s by %s, %s (UTC). Value here now: %s"), k.station,
                 k.user, k.at, k.current);
        td_cli_print(line);
        td_cli_print("\n");
        return TD_OK;
    }
    if (strcmp(sub, "resolve") == 0) {
        const char *keep = td_cli_opt(&argc, argv, "keep");
        const char *value = td_cli_opt(&argc, argv, "value");
        bool dismiss = td_cli_flag(&argc, argv, "dismiss");
        const char *reason = td_cli_opt(&argc, argv, "reason");
        td_sync_resolve how = 0;
        if (keep && strcmp(keep, "mine") == 0)
            how = TD_RESOLVE_KEEP;
        else if (keep && strcmp(keep, "theirs") == 0)
            how = TD_RESOLVE_TAKE;
        else if (!keep && value)
            how = TD_RESOLVE_EDIT;
        else if (!keep && dismiss)
            how = TD_RESOLVE_DISMISS;
        if (!how || (keep && (value || dismiss)) || (value && dismiss))
            return td_cli_usage(c, "%s", _("say one of: --keep mine, --keep theirs, --value V, --dismiss"));
        if ((s = td_cli_actor(c)))
            return s;
        if ((s = td_sync_conflict_resolve(c->db, &c->actor, id, how, value, reason, &err)))
            return td_cli_fail(c, &err);
        if (c->json)
            td_cli_json(json_pack("{s:s,s:b}", "id", id, "resolved", 1));
        else
            say(c, _("Conflict resolved; the choice travels to the other place with the next bundle\n"));
        return TD_OK;
    }
    return td_cli_usage(c, "%s", _(usage_text));
}

static int on_status(const td_sync_peer_status *p, void *ud)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:I,s:I}", "station", p->code, "revoked",
                                             p->revoked, "our_seq", (json_int_t)p->our_seq, "sent_seq",
                                             (json_int_t)p->sent_seq, "acked_seq", (json_int_t)p->acked_seq,
                                             "received_seq", (json_int_t)p->recv_seq, "held", (json_int_t)p->held,
                                             "oldest_held", p->oldest_held, "open_conflicts",
                                             (json_int_t)p->open_conflicts, "held_overdue",
                                             (json_int_t)p->held_overdue, "forked", (json_int_t)p->forked));
        return 0;
    }
    char c1[24], c2[24], c3[24], c4[24], c5[24], c6[24];
    snprintf(c1, sizeof c1, "%ld", p->our_seq);
    snprintf(c2, sizeof c2, "%ld", p->sent_seq);
    snprintf(c3, sizeof c3, "%ld", p->acked_seq);
    snprintf(c4, sizeof c4, "%ld", p->recv_seq);
    snprintf(c5, sizeof c5, "%ld", p->held);
    snprintf(c6, sizeof c6, "%ld", p->open_conflicts);
    char note[160];
    snprintf(note, sizeof note, _("%ld held longer than %d days: ask the station to send again"), p->held_overdue,
             p->hold_days);
    char fork[160];
    snprintf(fork, sizeof fork, _("%ld held as a fork: that station's database may have been restored from an old "
                                  "copy"), p->forked);
    const char *cells[8] = { p->code, c1, c2, c3, c4, c5, c6,
                             p->revoked ? _("revoked") : p->forked ? fork : p->held_overdue ? note : p->oldest_held };
    int w[8] = { 8, -8, -8, -8, -8, -6, -6, 0 };
    td_cli_row(8, cells, w);
    return 0;
}

int cmd_sync(td_cli *c, int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
        td_cli_print(_(usage_text));
        td_cli_print("\n");
        return TD_OK;
    }
    if (argc < 2)
        return td_cli_usage(c, "%s", _(usage_text));
    const char *sub = argv[1];
    argv++;
    argc--;
    td_err err;
    td_err_clear(&err);
    td_status s;
    char msg[600];
    if (strcmp(sub, "conflicts") == 0)
        return conflicts(c, argc, argv);
    if (strcmp(sub, "join") == 0) {
        const char *data = td_cli_opt(&argc, argv, "data");
        bool pw_stdin = td_cli_flag(&argc, argv, "password-stdin");
        if (argc != 2)
            return td_cli_usage(c, "%s", _(usage_text));
        const char *dir = data && *data ? data : td_data_dir();
        FILE *jf = fopen(argv[1], "r");
        if (!jf) {
            td_err_set(&err, TD_EIO, _("Cannot read %s: %s"), argv[1], strerror(errno));
            return td_cli_fail(c, &err);
        }
        fclose(jf);
        /* Bad policy data is said before anyone is asked for a password; the
         * station administrator's password is asked (or read from standard
         * input) before any transaction is open. */
        if ((s = td_policy_check_all(dir, &err)))
            return td_cli_fail(c, &err);
        char pw[TD_PW_MAX_BYTES + 2] = "";
        s = td_cli_secret(c, _("Password for the station's administrator 'admin': "), pw_stdin, pw, sizeof pw);
        if (!s && !pw_stdin) {
            char again[TD_PW_MAX_BYTES + 2];
            s = td_cli_secret(c, _("The same password again: "), false, again, sizeof again);
            if (!s && strcmp(pw, again) != 0) {
                td_err_set(&err, TD_EINVALID, "%s", _("The two passwords differ; nothing was changed"));
                s = td_cli_fail(c, &err);
            }
            sodium_memzero(again, sizeof again);
        }
        if (!s && (s = td_pw_check_new(pw, "admin", &err)))
            td_cli_fail(c, &err);
        if (s) {
            sodium_memzero(pw, sizeof pw);
            return s;
        }
        c->open_flags = TD_DB_CREATE | TD_DB_MIGRATE; /* join makes the station's database */
        if ((s = td_cli_open_db(c))) {
            sodium_memzero(pw, sizeof pw);
            return s;
        }
        char code[12];
        if ((s = td_policy_load_all(c->db, dir, NULL, &err)) || (s = td_sync_join(c->db, argv[1], code, &err)) ||
            (s = td_auth_set_password(c->db, NULL, "admin", pw, false, &err))) {
            sodium_memzero(pw, sizeof pw);
            return td_cli_fail(c, &err);
        }
        sodium_memzero(pw, sizeof pw);
        snprintf(msg, sizeof msg, _("This database is now station %s; send HQ its card: talentdesk sync card FILE\n"),
                 code);
        say(c, msg);
        say(c, _("The station's administrator signs in with: talentdesk login admin\n"));
        return TD_OK;
    }
    if (strcmp(sub, "keys") == 0 || strcmp(sub, "card") == 0 || strcmp(sub, "enrol") == 0 ||
        strcmp(sub, "revoke") == 0 || strcmp(sub, "status") == 0) {
        if ((s = td_cli_open_db(c)))
            return s;
        if (strcmp(sub, "keys") == 0) {
            if ((s = td_sync_keys_create(c->db, &err)))
                return td_cli_fail(c, &err);
            say(c, _("Sync keys made; the secret keys are in the file beside the database (owner only)\n"));
            return TD_OK;
        }
        if (strcmp(sub, "status") == 0) {
            json_t *arr = c->json ? json_array() : NULL;
            if (!c->json) {
                const char *h[8] = { _("Station"), _("Ours"), _("Sent"), _("Acked"), _("Received"), _("Held"),
                                     _("Open"), _("Note") };
                int w[8] = { 8, -8, -8, -8, -8, -6, -6, 0 };
                td_cli_row(8, h, w);
            }
            if ((s = td_sync_status_each(c->db, on_status, arr, &err))) {
                json_decref(arr);
                return td_cli_fail(c, &err);
            }
            if (c->json)
                td_cli_json(arr);
            else {
                snprintf(msg, sizeof msg, _("Open conflicts: %ld\n"), td_sync_conflicts_open(c->db));
                say(c, msg);
            }
            return TD_OK;
        }
        if (argc != 2)
            return td_cli_usage(c, "%s", _(usage_text));
        if (strcmp(sub, "card") == 0) {
            if ((s = td_sync_card_write(c->db, argv[1], &err)))
                return td_cli_fail(c, &err);
            say(c, _("Station card written\n"));
            return TD_OK;
        }
        if (strcmp(sub, "enrol") == 0) {
            if ((s = td_cli_actor(c)) || (s = td_actor_require(&c->actor, TD_ROLE_ADMIN, &err)))
                return s ? (err.code ? td_cli_fail(c, &err) : s) : s;
            char code[12];
            if ((s = td_sync_peer_add(c->db, argv[1], code, &err)))
                return td_cli_fail(c, &err);
            snprintf(msg, sizeof msg, _("Station %s enrolled\n"), code);
            say(c, msg);
            return TD_OK;
        }
        if ((s = td_cli_actor(c)) || (s = td_actor_require(&c->actor, TD_ROLE_ADMIN, &err)))
            return s ? (err.code ? td_cli_fail(c, &err) : s) : s;
        if ((s = td_sync_peer_revoke(c->db, argv[1], &err)))
            return td_cli_fail(c, &err);
        snprintf(msg, sizeof msg, _("Station %s revoked: its bundles are refused from now on\n"), argv[1]);
        say(c, msg);
        return TD_OK;
    }
    if (strcmp(sub, "enrol-station") == 0) {
        const char *name = td_cli_opt(&argc, argv, "name");
        const char *kind = td_cli_opt(&argc, argv, "kind");
        const char *out = td_cli_opt(&argc, argv, "out");
        if (argc != 2 || !out)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        if ((s = td_sync_enrol_station(c->db, &c->actor, argv[1], name, kind, out, &err)))
            return td_cli_fail(c, &err);
        snprintf(msg, sizeof msg, _("Join file for station %s written; create the station with: talentdesk sync "
                                    "join FILE\n"), argv[1]);
        say(c, msg);
        return TD_OK;
    }
    if (strcmp(sub, "export") == 0) {
        const char *to = td_cli_opt(&argc, argv, "to");
        bool new_only = td_cli_flag(&argc, argv, "new");
        if (argc != 2 || !to)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        td_sync_export_report rep;
        if ((s = td_sync_export(c->db, to, argv[1], new_only, &rep, &err)))
            return td_cli_fail(c, &err);
        if (c->json) {
            td_cli_json(json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "bundle", rep.bundle, "to", to, "seq_lo",
                                  (json_int_t)rep.seq_lo, "seq_hi", (json_int_t)rep.seq_hi, "ops",
                                  (json_int_t)rep.ops, "bytes", (json_int_t)rep.bytes));
            return TD_OK;
        }
        snprintf(msg, sizeof msg, _("Bundle for %s written: %ld changes (sequence %ld-%ld), %ld bytes\n"), to,
                 rep.ops, rep.seq_lo, rep.seq_hi, rep.bytes);
        say(c, msg);
        return TD_OK;
    }
    if (strcmp(sub, "import") == 0) {
        if (argc != 2)
            return td_cli_usage(c, "%s", _(usage_text));
        if ((s = td_cli_actor(c)))
            return s;
        td_sync_import_report rep;
        if ((s = td_sync_import(c->db, &c->actor, argv[1], &rep, &err)))
            return td_cli_fail(c, &err); /* a fork too: held, said as an error */
        static const char *const oc[] = { "", "applied", "duplicate", "held", "quarantined", "forked" };
        if (c->json) {
            td_cli_json(json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:I}", "outcome", oc[rep.outcome],
                                  "from", rep.from, "bundle", rep.bundle, "seq_lo", (json_int_t)rep.seq_lo, "seq_hi",
                                  (json_int_t)rep.seq_hi, "applied", (json_int_t)rep.applied, "skipped",
                                  (json_int_t)rep.skipped, "conflicts", (json_int_t)rep.conflicts, "released",
                                  (json_int_t)rep.released, "gap_lo", (json_int_t)rep.gap_lo, "gap_hi",
                                  (json_int_t)rep.gap_hi, "missing_prev", rep.missing, "duplicates",
                                  (json_int_t)rep.duplicates));
            return TD_OK;
        }
        switch (rep.outcome) {
        case TD_SYNC_DUPLICATE:
            snprintf(msg, sizeof msg, "%s\n", _("Already imported; nothing changed"));
            break;
        case TD_SYNC_HELD:
            if (rep.missing[0])
                snprintf(msg, sizeof msg, _("Held: it follows bundle %.12s from %s, which has not arrived (changes "
                                            "%ld-%ld are missing); it is applied when that one arrives, or ask %s "
                                            "to export again without --new\n"),
                         rep.missing, rep.from, rep.gap_lo, rep.gap_hi, rep.from);
            else
                snprintf(msg, sizeof msg, _("Held: the bundles with sequence %ld-%ld from %s have not arrived yet; it "
                                            "is applied when they do\n"), rep.gap_lo, rep.gap_hi, rep.from);
            break;
        case TD_SYNC_QUARANTINED:
            snprintf(msg, sizeof msg, "%s\n", _("Quarantined: the bundle was made by another version of the "
                                                 "database; upgrade both places, then import it again"));
            break;
        default:
            snprintf(msg, sizeof msg, _("Imported from %s: %ld changes applied, %ld already here, %ld conflicts "
                                        "to review, %ld held bundles applied\n"), rep.from, rep.applied,
                     rep.skipped, rep.conflicts, rep.released);
        }
        say(c, msg);
        if (rep.duplicates > 0) {
            snprintf(msg, sizeof msg, _("%ld person(s) registered at both places wait in the duplicates queue "
                                        "(talentdesk dupes list)\n"), rep.duplicates);
            say(c, msg);
        }
        return TD_OK;
    }
    return td_cli_usage(c, "%s", _(usage_text));
}
