/* specialist.c — see specialist.h. */
#include "specialist.h"
#include "auth/access.h"
#include "person.h"
#include "base/audit.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

td_status td_person_specialist(td_db *db, const char *person_id, char id[TD_UUID_LEN], char *name, size_t len,
                               td_err *err)
{
    if (id)
        id[0] = '\0';
    if (name && len)
        name[0] = '\0';
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT coalesce(p.specialist_id, ''), coalesce(u.display_name, '') "
                                     "FROM persons p LEFT JOIN users u ON u.id = p.specialist_id WHERE p.id = ?",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (id)
            td_col_copy(st, 0, id, TD_UUID_LEN);
        if (name && len)
            td_col_copy(st, 1, name, len);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    return rc == SQLITE_DONE ? td_err_set(err, TD_ENOTFOUND, "%s", _("No such person"))
                             : td_db_fail(db, _("reading the person"), err);
}

static td_status specialist_user(td_db *db, const char *username, char id[TD_UUID_LEN], td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND "
                                     "r.deleted_at IS NULL AND r.role = 'specialist' WHERE u.username = ?1 AND "
                                     "u.active = 1 AND u.deleted_at IS NULL",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, username);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        td_col_copy(st, 0, id, TD_UUID_LEN);
    sqlite3_reset(st);
    return found ? TD_OK
                 : td_err_set(err, TD_ENOTFOUND, _("'%s' is not an active service specialist"), username);
}

td_status td_person_specialist_set(td_db *db, const td_actor *by, const char *person_key, const char *username,
                                   const char *reason, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_SPECIALIST_SET, err);
    if (s)
        return s;
    td_person p;
    if ((s = td_person_get(db, person_key, &p, err)))
        return s;
    char nid[TD_UUID_LEN] = "";
    if (username && *username && (s = specialist_user(db, username, nid, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    char old[TD_UUID_LEN];
    if ((s = td_person_specialist(db, p.id, old, NULL, 0, err)))
        goto fail;
    if (strcmp(old, nid) == 0) {
        td_db_rollback(db);
        return TD_OK;
    }
    if (old[0] && (!reason || !*reason)) {
        s = td_err_set(err, TD_EINVALID, "%s",
                       _("Changing a person's service specialist needs a reason (--reason)"));
        goto fail;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "UPDATE persons SET specialist_id = ?1, updated_at = ?2, "
                                     "row_version = row_version + 1 WHERE id = ?3",
                                     err);
    if (!st) {
        s = TD_EDB;
        goto fail;
    }
    td_bind_text(st, 1, nid[0] ? nid : NULL);
    td_bind_text(st, 2, now);
    td_bind_text(st, 3, p.id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the specialist"), err);
        goto fail;
    }
    if ((s = td_audit(db, by, NULL, "person.specialist", "persons", p.id, "specialist_id", old[0] ? old : NULL,
                      nid[0] ? nid : NULL, reason, err)))
        goto fail;
    return td_db_commit(db, err);
fail:
    td_db_rollback(db);
    return s;
}

static const struct {
    const char *code, *name;
} CHANNELS[] = { { "phone", N_("phone") },  { "visit", N_("visit") }, { "wechat", N_("WeChat") },
                 { "email", N_("e-mail") }, { "video", N_("video call") }, { "other", N_("other") } };

const char *td_followup_channel_name(const char *code)
{
    for (size_t i = 0; i < sizeof CHANNELS / sizeof CHANNELS[0]; i++)
        if (strcmp(CHANNELS[i].code, code) == 0)
            return _(CHANNELS[i].name);
    return code;
}

#define FU_COLS                                                                                               \
    "f.id, f.person_id, p.name, coalesce(us.username, ''), coalesce(ub.username, ''), f.on_date, f.channel, " \
    "f.note, coalesce(f.next_date, ''), f.done_at IS NULL "
#define FU_FROM                                                                                               \
    "FROM person_followups f JOIN persons p ON p.id = f.person_id LEFT JOIN users us ON us.id = "            \
    "p.specialist_id LEFT JOIN users ub ON ub.id = f.by_user "

static void fu_read(sqlite3_stmt *st, td_followup *f)
{
    memset(f, 0, sizeof *f);
    td_col_copy(st, 0, f->id, sizeof f->id);
    td_col_copy(st, 1, f->person_id, sizeof f->person_id);
    td_col_copy(st, 2, f->person_name, sizeof f->person_name);
    td_col_copy(st, 3, f->specialist, sizeof f->specialist);
    td_col_copy(st, 4, f->by_user, sizeof f->by_user);
    td_col_copy(st, 5, f->on_date, sizeof f->on_date);
    td_col_copy(st, 6, f->channel, sizeof f->channel);
    td_col_copy(st, 7, f->note, sizeof f->note);
    td_col_copy(st, 8, f->next_date, sizeof f->next_date);
    f->open = sqlite3_column_int(st, 9) != 0;
}

td_status td_followup_add(td_db *db, const td_actor *by, const char *person_key, const char *on_date,
                          const char *channel, const char *note, const char *next_date, td_followup *out,
                          td_err *err)
{
    td_status s =
        td_access_require(db, by, TD_ACT_FOLLOWUP_ADD, err);
    if (s)
        return s;
    bool ch_ok = false;
    for (size_t i = 0; channel && i < sizeof CHANNELS / sizeof CHANNELS[0]; i++)
        ch_ok |= strcmp(CHANNELS[i].code, channel) == 0;
    if (!ch_ok)
        return td_err_set(err, TD_EINVALID, _("Unknown channel '%s' (phone, visit, wechat, email, video, other)"),
                          channel ? channel : "");
    td_date today = td_today(), on = today, next;
    if (on_date && *on_date && !td_date_parse(on_date, &on))
        return td_err_set(err, TD_EINVALID, _("'%s' is not a date (YYYY-MM-DD)"), on_date);
    if (td_date_cmp(on, today) > 0)
        return td_err_set(err, TD_EINVALID, "%s", _("A follow-up cannot be dated in the future"));
    bool has_next = next_date && *next_date;
    if (has_next && !td_date_parse(next_date, &next))
        return td_err_set(err, TD_EINVALID, _("'%s' is not a date (YYYY-MM-DD)"), next_date);
    if (has_next && td_date_cmp(next, on) < 0)
        return td_err_set(err, TD_EINVALID, "%s", _("The next contact cannot be before this one"));
    td_person p;
    if ((s = td_person_get(db, person_key, &p, err)))
        return s;
    char id[TD_UUID_LEN], now[TD_TS_LEN], ons[TD_DATE_LEN], nexts[TD_DATE_LEN] = "", spec[TD_UUID_LEN];
    td_uuid7(id);
    td_now_utc(now);
    td_date_format(on, ons);
    if (has_next)
        td_date_format(next, nexts);
    if ((s = td_db_begin(db, err)))
        return s;
    if ((s = td_person_specialist(db, p.id, spec, NULL, 0, err)))
        goto fail;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "UPDATE person_followups SET done_at = ?1, updated_at = ?1, "
                                     "row_version = row_version + 1 WHERE person_id = ?2 AND done_at IS NULL "
                                     "AND deleted_at IS NULL",
                                     err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, now);
    td_bind_text(st, 2, p.id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        goto fail_step;
    st = td_db_prepare(db,
                       "INSERT INTO person_followups(id, person_id, specialist_id, by_user, on_date, channel, note, "
                       "next_date, created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)",
                       err);
    if (!st)
        goto fail_db;
    td_bind_text(st, 1, id);
    td_bind_text(st, 2, p.id);
    td_bind_text(st, 3, spec[0] ? spec : NULL);
    td_bind_text(st, 4, by->user_id);
    td_bind_text(st, 5, ons);
    td_bind_text(st, 6, channel);
    td_bind_text(st, 7, note ? note : "");
    td_bind_text(st, 8, has_next ? nexts : NULL);
    td_bind_text(st, 9, now);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        goto fail_step;
    if ((s = td_audit(db, by, NULL, "person.followup", "person_followups", id, "next_date", NULL,
                      has_next ? nexts : NULL, note, err)))
        goto fail;
    if ((s = td_db_commit(db, err)))
        return s;
    if (out) {
        st = td_db_prepare(db, "SELECT " FU_COLS FU_FROM "WHERE f.id = ?", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            fu_read(st, out);
        sqlite3_reset(st);
    }
    return TD_OK;
fail_step:
    s = td_db_fail(db, _("saving the follow-up"), err);
    goto fail;
fail_db:
    s = TD_EDB;
fail:
    td_db_rollback(db);
    return s;
}

static td_status each(td_db *db, sqlite3_stmt *st, int (*cb)(const td_followup *f, void *ud), void *ud,
                      td_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_followup f;
        fu_read(st, &f);
        if (cb(&f, ud))
            break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? TD_OK : td_db_fail(db, _("reading follow-ups"), err);
}

td_status td_followups_each(td_db *db, const char *person_id, int (*cb)(const td_followup *f, void *ud), void *ud,
                            td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " FU_COLS FU_FROM "WHERE f.person_id = ? AND f.deleted_at IS NULL "
                                     "ORDER BY f.on_date DESC, f.created_at DESC",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    return each(db, st, cb, ud, err);
}

td_status td_followups_due(td_db *db, const char *specialist_id, const char *as_of, int limit,
                           int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err)
{
    char today[TD_DATE_LEN];
    td_date d;
    if (as_of && *as_of) {
        if (!td_date_parse(as_of, &d))
            return td_err_set(err, TD_EINVALID, _("'%s' is not a date (YYYY-MM-DD)"), as_of);
    } else {
        d = td_today();
    }
    td_date_format(d, today);
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " FU_COLS FU_FROM "WHERE f.next_date IS NOT NULL AND f.done_at IS NULL AND f.deleted_at IS NULL "
                                     "AND f.next_date <= ?1 AND (?2 IS NULL OR p.specialist_id = ?2) "
                                     "ORDER BY f.next_date, f.id LIMIT ?3",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, today);
    td_bind_text(st, 2, specialist_id && *specialist_id ? specialist_id : NULL);
    sqlite3_bind_int(st, 3, limit > 0 ? limit : 500);
    return each(db, st, cb, ud, err);
}
