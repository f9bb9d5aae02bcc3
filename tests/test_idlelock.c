/* test_idlelock.c — the TUI's idle lock outlives the process
 * (src/auth/idlelock.h): while a user with a password is idle-locked, none of
 * their sessions resumes and their linked Unix account does not sign them
 * in; typing the password (td_auth_login) ends it; a user without a password
 * is never marked (they have nothing to unlock with). */
#include "test_util.h"
#include "auth/account.h"
#include "auth/idlelock.h"
#include "auth/peer.h"
#include "auth/session.h"
#include "setup/demo.h"

#include <string.h>

static void lock_outlives_process(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_err err;
    td_actor admin = td_test_actor(db, "admin"), clerk = td_test_actor(db, "clerk1"), a;
    assert_td_ok(td_peer_link(db, &admin, "clerk1", "wangf", &err), &err);
    char token[TD_TOKEN_LEN];
    assert_td_ok(td_session_start(db, &clerk, "tui", token, &err), &err);
    assert_td_ok(td_peer_actor(db, "wangf", &a, &err), &err);
    assert_td_ok(td_session_resume(db, token, &a, &err), &err);

    bool marked = false;
    assert_td_ok(td_idle_lock(db, &clerk, &marked, &err), &err);
    assert_true(marked);
    assert_int_equal(td_peer_actor(db, "wangf", &a, &err), TD_EDENIED);
    assert_non_null(strstr(err.msg, "talentdesk login clerk1"));
    assert_int_equal(td_session_resume(db, token, &a, &err), TD_EDENIED);
    /* a wrong password does not end it */
    bool must = false;
    assert_int_equal(td_auth_login(db, "clerk1", "wrong-password", &a, &must, &err), TD_EDENIED);
    assert_int_equal(td_session_resume(db, token, &a, &err), TD_EDENIED);
    /* the password does */
    assert_td_ok(td_auth_login(db, "clerk1", TD_DEMO_PASSWORD, &a, &must, &err), &err);
    assert_td_ok(td_peer_actor(db, "wangf", &a, &err), &err);
    assert_td_ok(td_session_resume(db, token, &a, &err), &err);

    /* no password: nothing to unlock with, never marked */
    char id[TD_UUID_LEN];
    assert_td_ok(td_user_add(db, &admin, "nopw", "无密码", NULL, NULL, TD_ROLE_CLERK, id, &err), &err);
    td_actor nopw = td_test_actor(db, "nopw");
    assert_td_ok(td_idle_lock(db, &nopw, &marked, &err), &err);
    assert_false(marked);
    assert_td_ok(td_idle_lock_check(db, nopw.user_id, "nopw", &err), &err);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lock_outlives_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
