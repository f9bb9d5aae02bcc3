/* test_specialist.c — the 人才服务专员 per person (set, change only with a
 * reason, audited, inherited by a new case) and the follow-up log with its
 * "follow-ups due" queue (due on the planned date, off the queue once the
 * next contact is logged, per specialist). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "people/person.h"
#include "people/specialist.h"
#include "workflow/intake.h"

static td_db *DB;
static char PID[TD_UUID_LEN];

static int setup(void **state)
{
    (void)state;
    setenv("TALENTDESK_NOW", "2026-03-16T02:00:00Z", 1);
    DB = td_test_db_loaded();
    char *msg = NULL;
    if (sqlite3_exec(td_db_handle(DB),
                     "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, updated_at) "
                     "SELECT 'p1', id, '李雷', 'passport', 'E12345678', '2026-01-01T00:00:00.000Z', "
                     "'2026-01-01T00:00:00.000Z' FROM stations WHERE code = 'CQ'",
                     NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    snprintf(PID, sizeof PID, "p1");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    td_db_close(DB);
    unsetenv("TALENTDESK_NOW");
    return 0;
}

static int count_cb(const td_followup *f, void *ud)
{
    (void)f;
    (*(int *)ud)++;
    return 0;
}

static int due(const char *spec_user, const char *as_of)
{
    int n = 0;
    td_err err;
    char id[TD_UUID_LEN] = "";
    if (spec_user) {
        td_actor a = td_test_actor(DB, spec_user);
        memcpy(id, a.user_id, sizeof id);
    }
    assert_td_ok(td_followups_due(DB, spec_user ? id : NULL, as_of, 0, count_cb, &n, &err), &err);
    return n;
}

static void specialist_set_change_inherit(void **state)
{
    (void)state;
    td_err err;
    td_actor clerk = td_test_actor(DB, "clerk1");
    td_actor spec = td_test_actor(DB, "spec1");
    /* only a specialist can be one */
    assert_int_equal(td_person_specialist_set(DB, &clerk, PID, "clerk2", NULL, &err), TD_ENOTFOUND);
    /* a specialist cannot assign */
    assert_int_equal(td_person_specialist_set(DB, &spec, PID, "spec1", NULL, &err), TD_EDENIED);
    assert_td_ok(td_person_specialist_set(DB, &clerk, PID, "spec1", NULL, &err), &err);
    char id[TD_UUID_LEN], name[128];
    assert_td_ok(td_person_specialist(DB, PID, id, name, sizeof name, &err), &err);
    assert_string_equal(id, spec.user_id);
    /* removal needs a reason */
    assert_int_equal(td_person_specialist_set(DB, &clerk, PID, NULL, "", &err), TD_EINVALID);
    /* a new case inherits it */
    td_case_new_args a;
    memset(&a, 0, sizeof a);
    a.person_id = PID;
    a.services[0] = "archive_transfer";
    td_case c;
    assert_td_ok(td_case_new(DB, &clerk, &a, &c, &err), &err);
    assert_string_equal(c.specialist_id, spec.user_id);
    /* removal with a reason, audited */
    assert_td_ok(td_person_specialist_set(DB, &clerk, PID, NULL, "调离", &err), &err);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(td_db_handle(DB),
                       "SELECT count(*) FROM audit_log WHERE action = 'person.specialist' AND entity_id = 'p1'", -1,
                       &st, NULL);
    sqlite3_step(st);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    /* a case without a specialist now */
    assert_td_ok(td_case_new(DB, &clerk, &a, &c, &err), &err);
    assert_string_equal(c.specialist_id, "");
}

static void followups_due_queue(void **state)
{
    (void)state;
    td_err err;
    td_actor clerk = td_test_actor(DB, "clerk1");
    td_actor spec = td_test_actor(DB, "spec1");
    assert_td_ok(td_person_specialist_set(DB, &clerk, PID, "spec1", NULL, &err), &err);
    td_followup f;
    /* bad input loses nothing and says why */
    assert_int_equal(td_followup_add(DB, &spec, PID, NULL, "fax", "", NULL, &f, &err), TD_EINVALID);
    assert_int_equal(td_followup_add(DB, &spec, PID, "2026-03-17", "phone", "", NULL, &f, &err), TD_EINVALID);
    assert_int_equal(td_followup_add(DB, &spec, PID, NULL, "phone", "", "2026-03-10", &f, &err), TD_EINVALID);
    assert_td_ok(td_followup_add(DB, &spec, PID, NULL, "phone", "询问落户", "2026-03-20", &f, &err), &err);
    assert_string_equal(f.on_date, "2026-03-16");
    assert_string_equal(f.next_date, "2026-03-20");
    assert_true(f.open);
    assert_int_equal(due("spec1", "2026-03-19"), 0);
    assert_int_equal(due("spec1", "2026-03-20"), 1); /* on its date */
    assert_int_equal(due("spec1", "2026-04-01"), 1); /* and after, until logged */
    assert_int_equal(due(NULL, "2026-03-20"), 1);
    assert_int_equal(due("clerk1", "2026-03-20"), 0); /* not clerk1's person */
    /* the contact happens: the earlier one leaves the queue, the new one is due later */
    setenv("TALENTDESK_NOW", "2026-03-20T02:00:00Z", 1);
    assert_td_ok(td_followup_add(DB, &spec, PID, NULL, "visit", "已走访", "2026-04-10", &f, &err), &err);
    assert_int_equal(due("spec1", "2026-03-20"), 0);
    assert_int_equal(due("spec1", "2026-04-10"), 1);
    /* the log keeps both, newest first */
    int n = 0;
    assert_td_ok(td_followups_each(DB, PID, count_cb, &n, &err), &err);
    assert_int_equal(n, 2);
    /* nothing planned: off the queue */
    assert_td_ok(td_followup_add(DB, &spec, PID, NULL, "wechat", "无需再联系", NULL, &f, &err), &err);
    assert_int_equal(due("spec1", "2027-01-01"), 0);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(specialist_set_change_inherit, setup, teardown),
        cmocka_unit_test_setup_teardown(followups_due_queue, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
