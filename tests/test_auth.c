/* test_auth.c — the sign-in core: argon2id hashes, wrong password, lock at
 * the configured count (audited), unlock by an administrator only, rehash of
 * a hash made with old limits, sessions (hash stored, expiry, logout). */
#include "test_util.h"
#include "auth/account.h"
#include "auth/password.h"
#include "auth/session.h"
#include "base/audit.h"
#include "setup/demo.h"

#include <stdlib.h>
#include <string.h>

static int64_t q_int(td_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void hashes(void **state)
{
    (void)state;
    char h[TD_PW_HASH_LEN];
    td_err err;
    assert_td_ok(td_pw_hash("correct horse", h, &err), &err);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(td_pw_verify(h, "correct horse"));
    assert_false(td_pw_verify(h, "correct horsE"));
    assert_false(td_pw_verify("", "x"));
    assert_false(td_pw_needs_rehash(h));
    assert_int_equal(td_pw_check_new("short", "u", &err), TD_EINVALID);
    assert_int_equal(td_pw_check_new("clerk1clerk1", "clerk1clerk1", &err), TD_EINVALID);
    assert_int_equal(td_pw_check_new("tab\there-ok", "u", &err), TD_EINVALID);
    assert_int_equal(td_pw_check_new("八个汉字八个汉字", "u", &err), TD_OK);
}

static void login_lock_unlock(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    td_actor a, admin = td_test_actor(db, "admin"), clerk = td_test_actor(db, "clerk2");
    bool must = true;
    assert_td_ok(td_auth_login(db, "clerk1", TD_DEMO_PASSWORD, &a, &must, &err), &err);
    assert_string_equal(a.username, "clerk1");
    assert_false(must);
    assert_int_equal(td_auth_policy_set(db, &clerk, "lock_after", "2", &err), TD_EDENIED);
    assert_td_ok(td_auth_policy_set(db, &admin, "lock_after", "2", &err), &err);
    assert_int_equal(td_auth_login(db, "clerk1", "wrong-one", &a, &must, &err), TD_EDENIED);
    assert_int_equal(q_int(db, "SELECT locked_at IS NULL FROM users WHERE username='clerk1'"), 1);
    assert_int_equal(td_auth_login(db, "clerk1", "wrong-two", &a, &must, &err), TD_EDENIED);
    assert_int_equal(q_int(db, "SELECT locked_at IS NOT NULL FROM users WHERE username='clerk1'"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action='auth.lock'"), 1);
    /* locked: even the right password is refused */
    assert_int_equal(td_auth_login(db, "clerk1", TD_DEMO_PASSWORD, &a, &must, &err), TD_EDENIED);
    assert_int_equal(td_auth_unlock(db, &clerk, "clerk1", &err), TD_EDENIED);
    assert_td_ok(td_auth_unlock(db, &admin, "clerk1", &err), &err);
    assert_td_ok(td_auth_login(db, "clerk1", TD_DEMO_PASSWORD, &a, &must, &err), &err);
    assert_int_equal(q_int(db, "SELECT failed_logins FROM users WHERE username='clerk1'"), 0);
    /* unknown user: the same message as a wrong password */
    td_err e2;
    td_auth_login(db, "nobody", "x", &a, &must, &e2);
    td_auth_login(db, "clerk2", "x", &a, &must, &err);
    assert_string_equal(e2.msg, err.msg);
    td_db_close(db);
}

static void rehash_old_limits(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    char weak[TD_PW_HASH_LEN];
    assert_int_equal(crypto_pwhash_str(weak, "old-limits-pw", 13, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN),
                     0);
    assert_true(td_pw_needs_rehash(weak));
    td_err err;
    assert_td_ok(td_auth_set_password_hash(db, "spec1", weak, false, &err), &err);
    td_actor a;
    bool must;
    assert_td_ok(td_auth_login(db, "spec1", "old-limits-pw", &a, &must, &err), &err);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(db), "SELECT password_hash FROM users WHERE username='spec1'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *now = (const char *)sqlite3_column_text(st, 0);
    assert_string_not_equal(now, weak);
    assert_false(td_pw_needs_rehash(now));
    assert_true(td_pw_verify(now, "old-limits-pw"));
    sqlite3_finalize(st);
    td_db_close(db);
}

static void sessions(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    td_actor a = td_test_actor(db, "reviewer1"), b;
    char tok[TD_TOKEN_LEN];
    setenv("TALENTDESK_NOW", "2026-06-15T02:00:00Z", 1);
    assert_td_ok(td_session_start(db, &a, "cli", tok, &err), &err);
    assert_int_equal(strlen(tok), 64);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM auth_sessions WHERE token_hash = '%s'", tok);
    assert_int_equal(q_int(db, sql), 0); /* never the token itself */
    assert_td_ok(td_session_resume(db, tok, &b, &err), &err);
    assert_string_equal(b.username, "reviewer1");
    assert_int_equal(td_session_resume(db, "00", &b, &err), TD_EDENIED);
    setenv("TALENTDESK_NOW", "2026-06-15T10:01:00Z", 1); /* 480 minutes later */
    assert_int_equal(td_session_resume(db, tok, &b, &err), TD_EDENIED);
    setenv("TALENTDESK_NOW", "2026-06-15T02:00:00Z", 1);
    assert_int_equal(td_session_resume(db, tok, &b, &err), TD_EDENIED); /* ended at expiry */
    assert_td_ok(td_session_start(db, &a, "cli", tok, &err), &err);
    assert_td_ok(td_session_end(db, tok, &err), &err);
    assert_int_equal(td_session_resume(db, tok, &b, &err), TD_EDENIED);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action='auth.session_end'"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action='auth.session_expired'"), 1);
    unsetenv("TALENTDESK_NOW");
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hashes),
        cmocka_unit_test(login_lock_unlock),
        cmocka_unit_test(rehash_old_limits),
        cmocka_unit_test(sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
