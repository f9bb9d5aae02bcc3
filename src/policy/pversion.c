/* pversion.c — see pversion.h. */
#include "pversion.h"
#include "base/actor.h"
#include "base/audit.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

static td_status make_current(td_db *db, const char *kind, const char *name, const char *id, const char *now,
                              td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT id FROM policy_versions WHERE kind = ? AND name = ? AND "
                                     "deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, kind);
    td_bind_text(st, 2, name);
    char cur[TD_UUID_LEN] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, cur, sizeof cur);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("loading policy data"), err);
    if (strcmp(cur, id) == 0)
        return TD_OK;
    st = td_db_prepare(db, "UPDATE policy_versions SET updated_at = ?, row_version = row_version + 1 WHERE id = ?",
                       err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, now);
    td_bind_text(st, 2, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TD_OK : td_db_fail(db, _("loading policy data"), err);
}

td_status td_pversion_put(td_db *db, const char *kind, const td_pf *pf, const char *user_id, const char *now,
                          char id_out[TD_UUID_LEN], td_err *err)
{
    char id[TD_UUID_LEN] = "";
    sqlite3_stmt *st =
        td_db_prepare(db, "SELECT id FROM policy_versions WHERE kind = ? AND name = ? AND sha256 = ?", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, kind);
    td_bind_text(st, 2, pf->name);
    td_bind_text(st, 3, pf->sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        td_col_copy(st, 0, id, sizeof id);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return td_db_fail(db, _("loading policy data"), err);
    if (id_out)
        snprintf(id_out, TD_UUID_LEN, "%s", id);
    if (rc == SQLITE_ROW)
        return make_current(db, kind, pf->name, id, now, err);
    td_uuid7(id);
    if (id_out)
        snprintf(id_out, TD_UUID_LEN, "%s", id);
    st = td_db_prepare(db,
                       "INSERT INTO policy_versions(id, kind, name, sha256, content, loaded_by, created_at, "
                       "updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                       err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, kind);
    td_bind_text(st, 3, pf->name);
    td_bind_text(st, 4, pf->sha256);
    td_bind_text(st, 5, pf->content);
    td_bind_text(st, 6, user_id);
    td_bind_text(st, 7, now);
    td_bind_text(st, 8, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("loading policy data"), err);
    char station[TD_UUID_LEN];
    if (td_db_setting_get(db, "local_station", station, sizeof station)) {
        td_actor by;
        memset(&by, 0, sizeof by);
        if (user_id)
            snprintf(by.user_id, sizeof by.user_id, "%s", user_id);
        return td_audit(db, &by, NULL, "policy.load", "policy_versions", id, pf->name, NULL, pf->sha256, NULL, err);
    }
    return TD_OK;
}

td_status td_pversion_current(td_db *db, const char *kind, td_pf **out, td_err *err)
{
    *out = NULL;
    /* NULL err: a database without the table (not yet initialised) is "none". */
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT name, content FROM policy_versions WHERE kind = ? AND "
                                     "deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1",
                                     NULL);
    if (!st)
        return td_err_set(err, TD_ENOTFOUND, _("No %s policy has been loaded"), kind);
    td_bind_text(st, 1, kind);
    td_status s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        s = td_pf_parse(name ? name : kind, text ? text : "", text ? strlen(text) : 0, out, err);
    } else if (rc == SQLITE_DONE) {
        s = td_err_set(err, TD_ENOTFOUND, _("No %s policy has been loaded"), kind);
    } else {
        s = td_db_fail(db, _("reading policy data"), err);
    }
    sqlite3_reset(st);
    return s;
}
