/* test_core_person2.c — person validation field by field, update audit rows
 * per changed field, list paging/ordering. */
#include "test_util.h"
#include "base/audit.h"
#include "people/person.h"

#include <stdio.h>
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

/* A valid resident ID from its first 17 digits. */
static void make_id(char *out, const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = td_id_check_char(first17);
    out[18] = '\0';
}

static void base(td_person *p)
{
    memset(p, 0, sizeof *p);
    strcpy(p->name, "张三");
    make_id(p->id_no, "50010319900307123"); /* 1990-03-07, odd 17th digit: male */
}

static td_status val(td_db *db, td_person *p, const char **field)
{
    td_err err;
    td_err_clear(&err);
    return td_person_validate(db, p, field, &err);
}

static void name_lengths(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    /* exactly 50 CJK characters: accepted; 51: refused on "name" */
    base(&p);
    p.name[0] = '\0';
    for (int i = 0; i < 50; i++)
        strcat(p.name, "张");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    base(&p);
    p.name[0] = '\0';
    for (int i = 0; i < 51; i++)
        strcat(p.name, "张");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name");
    /* supplementary-plane 𠮷 counts as one character: 50 fit (200 bytes) */
    base(&p);
    p.name[0] = '\0';
    for (int i = 0; i < 50; i++)
        strcat(p.name, "𠮷");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_int_equal(strlen(p.name), 200);
    base(&p);
    p.name[0] = '\0';
    for (int i = 0; i < 51; i++)
        strcat(p.name, "a");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name");
    /* empty and blank-only names are required errors */
    base(&p);
    strcpy(p.name, "\xE3\x80\x80 \t");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name");
}

static void name_cleaning(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    base(&p);
    strcpy(p.name, "张\xE2\x80\x8B三"); /* zero-width space */
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.name, "张三");
    base(&p);
    strcpy(p.name, "\xE2\x80\xAE张三\xE2\x80\xAC"); /* RLO ... PDF */
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.name, "张三");
    base(&p);
    strcpy(p.name, "\xE3\x80\x80 Anna\xE3\x80\x80\xE3\x80\x80Li "); /* ideographic spaces */
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.name, "Anna Li");
    base(&p);
    strcpy(p.name, "张\x01三");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name");
    base(&p);
    strcpy(p.name, "\xff\xfe");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name");
    base(&p);
    strcpy(p.name_latin, "Zhang\x07San");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "name_latin");
    /* NFC: e + combining acute becomes é */
    base(&p);
    strcpy(p.name, "Rene\xCC\x81");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.name, "Ren\xC3\xA9");
}

static void gender_and_birth(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    base(&p);
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.gender, "M");
    assert_string_equal(p.birth_date, "1990-03-07");
    assert_string_equal(p.id_type, td_id_type_code(TD_ID_RESIDENT));
    base(&p);
    strcpy(p.gender, "男");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.gender, "M");
    base(&p);
    strcpy(p.gender, "女");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "gender");
    base(&p);
    strcpy(p.gender, "F");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "gender");
    base(&p);
    strcpy(p.birth_date, "19900307");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.birth_date, "1990-03-07");
    base(&p);
    strcpy(p.birth_date, "1990-03-08");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "birth_date");
    base(&p);
    strcpy(p.birth_date, "1990-02-30");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "birth_date");
    /* passport holders: gender typed freely among M/F/男/女, others refused */
    memset(&p, 0, sizeof p);
    strcpy(p.name, "Anna Li");
    strcpy(p.id_type, td_id_type_code(TD_ID_PASSPORT));
    strcpy(p.id_no, "E12345678");
    strcpy(p.gender, "女");
    strcpy(p.nationality, "chn");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.gender, "F");
    assert_string_equal(p.nationality, "CHN");
    assert_string_equal(p.birth_date, "");
    strcpy(p.gender, "X");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "gender");
    strcpy(p.gender, "");
    strcpy(p.birth_date, "2999-01-01");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "birth_date");
}

static void hmt_permit_birth(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "陈港生");
    make_id(p.id_no, "81000019850612002"); /* HK permit, 1985-06-12, female */
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.id_type, td_id_type_code(TD_ID_HMT_PERMIT));
    assert_string_equal(p.birth_date, "1985-06-12");
    assert_string_equal(p.gender, "F");
    memset(&p, 0, sizeof p);
    strcpy(p.name, "陈港生");
    make_id(p.id_no, "81000019850612002");
    strcpy(p.birth_date, "1985-06-13");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "birth_date");
}

static void id_fifteen_upgraded(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    td_person p;
    memset(&p, 0, sizeof p);
    strcpy(p.name, "老身份证");
    strcpy(p.id_no, "500103800307123"); /* 15 digits: 1980-03-07, male */
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(db, &c1, &p, &err), &err);
    assert_int_equal(strlen(p.id_no), 18);
    assert_memory_equal(p.id_no, "50010319800307123", 17);
    assert_string_equal(p.birth_date, "1980-03-07");
    td_person g;
    assert_td_ok(td_person_get(db, p.id_no, &g, &err), &err);
    assert_string_equal(g.id, p.id);
    /* the same person typed again with the 18-digit number is a duplicate */
    td_person d;
    memset(&d, 0, sizeof d);
    strcpy(d.name, "老身份证");
    strcpy(d.id_no, p.id_no);
    assert_int_equal(td_person_add(db, &c1, &d, &err), TD_ECONFLICT);
    td_db_close(db);
}

static void nationality_codes(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    const char *bad_codes[] = { "CN", "C1N", "  ", "C" };
    for (size_t i = 0; i < sizeof bad_codes / sizeof *bad_codes; i++) {
        base(&p);
        strcpy(p.nationality, bad_codes[i]);
        assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
        assert_string_equal(f, "nationality");
    }
    base(&p);
    strcpy(p.nationality, "hkg");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.nationality, "HKG");
    base(&p);
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.nationality, "CHN");
}

static void phones(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    base(&p);
    strcpy(p.phone, "+44 20 7946 0958");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.phone, "+442079460958");
    base(&p);
    strcpy(p.phone, "+1-415-555-0100");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.phone, "+14155550100");
    base(&p);
    strcpy(p.phone, "+44 123"); /* too short */
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "phone");
    base(&p);
    strcpy(p.phone, "+44 1234567890123456"); /* 18 digits: too long */
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "phone");
    base(&p);
    strcpy(p.phone, "+44 20x7946 0958");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "phone");
    base(&p);
    strcpy(p.phone, "138 0013 8000");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_non_null(strstr(p.phone, "13800138000"));
    base(&p);
    strcpy(p.phone, "12345");
    assert_int_equal(val(NULL, &p, &f), TD_EINVALID);
    assert_string_equal(f, "phone");
}

static void emails(void **state)
{
    (void)state;
    td_person p;
    const char *f;
    const char *good[] = { "a@b.cn", "zhang.san+x@mail.example.com", "\xE3\x80\x80li@x.org " };
    const char *badm[] = { "ab.cn", "@b.cn", "a@b", "a@b@c.cn", "a b@c.cn", "a@.cn", "a@b.", "a@b\x7f.cn" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        base(&p);
        strcpy(p.email, good[i]);
        assert_int_equal(val(NULL, &p, &f), TD_OK);
    }
    base(&p);
    strcpy(p.email, "\xE3\x80\x80li@x.org ");
    assert_int_equal(val(NULL, &p, &f), TD_OK);
    assert_string_equal(p.email, "li@x.org");
    for (size_t i = 0; i < sizeof badm / sizeof *badm; i++) {
        base(&p);
        strcpy(p.email, badm[i]);
        if (val(NULL, &p, &f) != TD_EINVALID)
            fail_msg("accepted e-mail %s", badm[i]);
        assert_string_equal(f, "email");
    }
}

static void categories(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_person p;
    const char *f;
    base(&p);
    strcpy(p.category_id, "returnee");
    assert_int_equal(val(db, &p, &f), TD_OK);
    assert_string_equal(p.category_id, "returnee");
    base(&p);
    strcpy(p.category_id, "港澳人才");
    assert_int_equal(val(db, &p, &f), TD_OK);
    assert_string_equal(p.category_id, "hkmo");
    base(&p);
    strcpy(p.category_id, "nosuch");
    assert_int_equal(val(db, &p, &f), TD_EINVALID);
    assert_string_equal(f, "category");
    td_db_close(db);
}

static void update_audits_changed_fields_only(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    td_person p;
    base(&p);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(db, &c1, &p, &err), &err);
    int64_t before = q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update'");
    /* no change: no rows */
    assert_td_ok(td_person_update(db, &c1, &p, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update'"), before);
    strcpy(p.phone, "13800138000");
    strcpy(p.employer, "重庆某公司");
    assert_td_ok(td_person_update(db, &c1, &p, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update'"), before + 2);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update' "
                               "AND field IN ('phone','employer') AND (old_value IS NULL OR old_value = '')"),
                     2);
    /* stale row_version */
    td_person stale = p;
    stale.row_version--;
    strcpy(stale.notes, "x");
    assert_int_equal(td_person_update(db, &c1, &stale, &err), TD_ECONFLICT);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'person.update'"), before + 2);
    /* an invalid update writes nothing */
    td_person badp = p;
    strcpy(badp.email, "nope");
    assert_int_equal(td_person_update(db, &c1, &badp, &err), TD_EINVALID);
    assert_int_equal(q_int(db, "SELECT count(*) FROM persons WHERE email <> ''"), 0);
    td_db_close(db);
}

typedef struct {
    char names[8][64];
    int n;
} namelist;

static int collect(const td_person *p, void *ud)
{
    namelist *l = ud;
    if (l->n < 8)
        snprintf(l->names[l->n++], 64, "%s", p->name);
    return 0;
}

static int stop_first(const td_person *p, void *ud)
{
    (void)p;
    (*(int *)ud)++;
    return 1;
}

static void list_paging(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor c1 = td_test_actor(db, "clerk1");
    const char *names[] = { "Eve", "Bob", "Alice", "Dan", "Carol" };
    const char *ids[] = { "50010319900101001", "50010319900101002", "50010319900101003",
                          "50010319900101004", "50010319900101005" };
    td_err err;
    td_err_clear(&err);
    for (int i = 0; i < 5; i++) {
        td_person p;
        memset(&p, 0, sizeof p);
        strcpy(p.name, names[i]);
        make_id(p.id_no, ids[i]);
        assert_td_ok(td_person_add(db, &c1, &p, &err), &err);
    }
    namelist l = { .n = 0 };
    td_person_query q = { .limit = 2, .offset = 0 };
    assert_td_ok(td_person_list(db, &q, collect, &l, &err), &err);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "Alice");
    assert_string_equal(l.names[1], "Bob");
    l.n = 0;
    q.offset = 4;
    assert_td_ok(td_person_list(db, &q, collect, &l, &err), &err);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.names[0], "Eve");
    l.n = 0;
    td_person_query qp = { .name_prefix = "Ca" };
    assert_td_ok(td_person_list(db, &qp, collect, &l, &err), &err);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.names[0], "Carol");
    l.n = 0;
    char idn[20];
    make_id(idn, ids[3]);
    td_person_query qi = { .id_no = idn };
    assert_td_ok(td_person_list(db, &qi, collect, &l, &err), &err);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.names[0], "Dan");
    int calls = 0;
    assert_td_ok(td_person_list(db, NULL, stop_first, &calls, &err), &err);
    assert_int_equal(calls, 1);
    td_db_close(db);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_lengths),     cmocka_unit_test(name_cleaning),
        cmocka_unit_test(gender_and_birth), cmocka_unit_test(hmt_permit_birth),
        cmocka_unit_test(id_fifteen_upgraded), cmocka_unit_test(nationality_codes),
        cmocka_unit_test(phones),           cmocka_unit_test(emails),
        cmocka_unit_test(categories),       cmocka_unit_test(update_audits_changed_fields_only),
        cmocka_unit_test(list_paging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
