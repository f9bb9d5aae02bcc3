/* test_refdata.c — the reference data under data/ and its loader:
 * the shipped files load and hold what the seeds say; every kind of mistake
 * in a file is reported with file name and line and leaves the database
 * untouched; reloading is idempotent; changes bump row versions and record
 * new policy versions. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "base/audit.h"
#include "policy/refdata.h"
#include "setup/policy_load.h"

/* ------------------------------------------------------------ helpers */

static char data_dir[4096];

static long q_int(td_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(td_db_handle(db)));
    long v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* First column of the first row as text, copied into buf ("" for none). */
static const char *q_text(td_db *db, const char *sql, char *buf, size_t len)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(td_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(td_db_handle(db)));
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A temporary copy of the .tdp files of data/ (only the files this loader reads, plus any
 * other .tdp at the top level).  Caller frees with rm_copy. */
static char *copy_data(void)
{
    char *dir = td_test_tmpfile("-data");
    assert_int_equal(mkdir(dir, 0700), 0);
    DIR *d = opendir(data_dir);
    assert_non_null(d);
    struct dirent *de;
    char src[4096 + 256], dst[4096 + 256];
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".tdp") != 0)
            continue;
        snprintf(src, sizeof src, "%s/%s", data_dir, de->d_name);
        snprintf(dst, sizeof dst, "%s/%s", dir, de->d_name);
        char *t = read_file(src);
        write_file(dst, t);
        free(t);
    }
    closedir(d);
    return dir;
}

static void rm_copy(char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    char p[4096 + 256];
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
    free(dir);
}

/* Replaces the first occurrence of old with new in dir/file (must exist). */
static void edit(const char *dir, const char *file, const char *old, const char *new)
{
    char p[4096 + 256];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    char *t = read_file(p);
    char *at = strstr(t, old);
    if (!at)
        fail_msg("'%s' not found in %s", old, file);
    size_t n = strlen(t) - strlen(old) + strlen(new) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    size_t pre = (size_t)(at - t);
    memcpy(out, t, pre);
    strcpy(out + pre, new);
    strcat(out, at + strlen(old));
    write_file(p, out);
    free(out);
    free(t);
}

static void put(const char *dir, const char *file, const char *text)
{
    char p[4096 + 256];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    write_file(p, text);
}

/* 1-based line of the first line of dir/file containing needle. */
static int line_of(const char *dir, const char *file, const char *needle)
{
    char p[4096 + 256];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    char *t = read_file(p);
    char *at = strstr(t, needle);
    if (!at)
        fail_msg("'%s' not found in %s", needle, file);
    int line = 1;
    for (char *c = t; c < at; c++)
        line += *c == '\n';
    free(t);
    return line;
}

typedef struct {
    long services, service_docs, docs, depts, cats, tiers, days, years, versions, audit;
    long sum_rv;
} counts;

static counts count_all(td_db *db)
{
    counts c;
    c.services = q_int(db, "SELECT count(*) FROM services");
    c.service_docs = q_int(db, "SELECT count(*) FROM service_docs");
    c.docs = q_int(db, "SELECT count(*) FROM doc_types");
    c.depts = q_int(db, "SELECT count(*) FROM departments");
    c.cats = q_int(db, "SELECT count(*) FROM talent_categories");
    c.tiers = q_int(db, "SELECT count(*) FROM tiers");
    c.days = q_int(db, "SELECT count(*) FROM calendar_days");
    c.years = q_int(db, "SELECT count(*) FROM calendar_years");
    c.versions = q_int(db, "SELECT count(*) FROM policy_versions");
    c.audit = q_int(db, "SELECT count(*) FROM audit_log");
    c.sum_rv = q_int(db, "SELECT (SELECT total(row_version) FROM services) + "
                         "(SELECT total(row_version) FROM service_docs) + "
                         "(SELECT total(row_version) FROM calendar_days) + "
                         "(SELECT total(row_version) FROM departments) + "
                         "(SELECT total(row_version) FROM doc_types)");
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.services, b.services);
    assert_int_equal(a.service_docs, b.service_docs);
    assert_int_equal(a.docs, b.docs);
    assert_int_equal(a.depts, b.depts);
    assert_int_equal(a.cats, b.cats);
    assert_int_equal(a.tiers, b.tiers);
    assert_int_equal(a.days, b.days);
    assert_int_equal(a.years, b.years);
    assert_int_equal(a.versions, b.versions);
    assert_int_equal(a.audit, b.audit);
    assert_int_equal(a.sum_rv, b.sum_rv);
}

static td_db *loaded_db(void)
{
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    return db;
}

/* Loads dir into a fresh database and into one holding the shipped data:
 * both must fail with TD_EPOLICY and a message starting "file:line:", and
 * neither database may change. */
static void expect_reject(const char *dir, const char *file, int line, const char *fragment)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    td_err err;

    td_db *fresh = td_test_db();
    counts before = count_all(fresh);
    td_err_clear(&err);
    td_status s = td_refdata_load(fresh, dir, NULL, &err);
    if (s != TD_EPOLICY)
        fail_msg("expected TD_EPOLICY, got %d: %s", (int)s, err.msg);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
        fail_msg("expected message starting '%s', got '%s'", prefix, err.msg);
    if (fragment && !strstr(err.msg, fragment))
        fail_msg("expected '%s' in '%s'", fragment, err.msg);
    assert_counts_equal(before, count_all(fresh));
    assert_int_equal(q_int(fresh, "SELECT count(*) FROM policy_versions"), 0);
    assert_int_equal(q_int(fresh, "SELECT count(*) FROM services"), 0);
    assert_false(td_db_in_tx(fresh));
    td_db_close(fresh);

    td_db *db = loaded_db();
    before = count_all(db);
    td_err_clear(&err);
    assert_int_equal(td_refdata_load(db, dir, NULL, &err), TD_EPOLICY);
    assert_counts_equal(before, count_all(db));
    assert_false(td_db_in_tx(db));
    td_db_close(db);

    /* check agrees with load */
    td_err_clear(&err);
    assert_int_equal(td_refdata_check(dir, &err), TD_EPOLICY);
    assert_true(strncmp(err.msg, prefix, strlen(prefix)) == 0);
}

/* ------------------------------------------------- the shipped data */

static void test_check_shipped_data(void **state)
{
    (void)state;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_check(data_dir, &err), &err);
}

static void test_load_counts(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    assert_true(q_int(db, "SELECT count(*) FROM services WHERE deleted_at IS NULL") >= 38);
    assert_true(q_int(db, "SELECT count(*) FROM departments") >= 14);
    assert_int_equal(q_int(db, "SELECT count(*) FROM departments"), 15);
    assert_int_equal(q_int(db, "SELECT count(*) FROM tiers"), 5);
    assert_int_equal(q_int(db, "SELECT count(*) FROM talent_categories"), 6);
    assert_true(q_int(db, "SELECT count(*) FROM doc_types") >= 17);
    /* every service: a department that exists, at least one required document */
    assert_int_equal(q_int(db, "SELECT count(*) FROM services s WHERE department_id IS NULL OR "
                               "NOT EXISTS (SELECT 1 FROM departments d WHERE d.id = s.department_id)"),
                     0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services s WHERE NOT EXISTS (SELECT 1 FROM "
                               "service_docs d WHERE d.service_id = s.id AND d.required = 1)"),
                     0);
    /* every service cites a source and is marked as a default time limit */
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE source = '' OR days_is_default <> 1"),
                     0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE days NOT BETWEEN 1 AND 365"), 0);
    /* 2026: 33 holidays (3+9+3+5+3+3+7) and 6 worked weekend days */
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_days WHERE kind = 'off'"), 33);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_days WHERE kind = 'work'"), 6);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_years WHERE year = 2026"), 1);
    /* one policy version per file, all rows at version 1 pointing at it */
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions"), 6);
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions WHERE length(sha256) <> 64 OR "
                               "content = '' OR length(id) <> 36"),
                     0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services s WHERE policy_version IS NULL OR "
                               "policy_version <> (SELECT id FROM policy_versions WHERE name = "
                               "'services.tdp')"),
                     0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_days c WHERE policy_version <> (SELECT "
                               "id FROM policy_versions WHERE name = 'calendar-2026.tdp')"),
                     0);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM services"), 1);
    td_db_close(db);
}

static void test_seed_facts(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char buf[512];
    /* the 14 signatories of 渝人社规〔2026〕9号 plus the High-tech Zone */
    const char *codes[] = { "zzb", "rsj", "jrb", "jw", "kjj", "gaj", "wb", "ybj",
                            "kx",  "omtxh", "rmyh", "hg", "sw", "jgj", "gxq" };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM departments WHERE id = '%s'", codes[i]);
        assert_int_equal(q_int(db, sql), 1);
    }
    assert_string_equal(q_text(db, "SELECT name FROM departments WHERE id = 'rsj'", buf, sizeof buf),
                        "重庆市人力资源和社会保障局");
    /* 金凤凰 tiers in rank order */
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM tiers ORDER BY rank)",
                               buf, sizeof buf),
                        "top,outstanding,leading,young,basic");
    assert_string_equal(q_text(db, "SELECT name FROM tiers WHERE rank = 1", buf, sizeof buf), "顶尖人才");
    assert_non_null(strstr(q_text(db, "SELECT source FROM tiers WHERE id = 'basic'", buf, sizeof buf),
                           "脚注7"));
    /* categories in file order */
    assert_string_equal(q_text(db, "SELECT group_concat(id, ',') FROM (SELECT id FROM talent_categories "
                                   "ORDER BY sort)",
                               buf, sizeof buf),
                        "returnee,offshore,hkmo,foreign,graduate,skilled");
    /* the services named in the seeds are all there */
    const char *names[] = { "企业开办", "档案转接", "职称评审", "学历学位认证", "留学人才存档",
                            "创业担保贷款", "海创贷", "海创险", "首次参保", "社保转移接续",
                            "就医绿色通道", "配偶就业", "子女入学", "购房或安家补贴",
                            "留创园免费工位", "技术交易奖励", "知识产权维权资助", "工作居住证",
                            "出入境证件", "工作许可证", "商事注册", "医疗保险", "入境体检",
                            "法律援助", "语言培训", "文化交流", "就业见习", "专项招聘会",
                            "鸿雁计划人才奖励", "种子投资基金", "职称直接申报", "境外职业资格执业" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        td_service sv;
        td_err err;
        td_err_clear(&err);
        if (td_service_get(db, names[i], &sv, &err) != TD_OK)
            fail_msg("service %s missing: %s", names[i], err.msg);
        assert_true(sv.days >= 1);
        assert_true(sv.source[0] != '\0');
    }
    /* all seven areas of 渝人社规〔2026〕9号 第二条 are used */
    const char *areas[] = { "项目申报", "就业创业", "人才认定", "服务快办", "留创园管理", "海外留学", "金融服务" };
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM services WHERE area = '%s'", areas[i]);
        assert_true(q_int(db, sql) >= 1);
    }
    /* a number from the seed survives in the source text */
    td_service sv;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_service_get(db, "haichuang_loan", &sv, &err), &err);
    assert_non_null(strstr(sv.source, "50万至200万元"));
    assert_string_equal(sv.department_id, "jrb");
    td_db_close(db);
}

/* Issue 13 item 7: the services seeds 000, 003 and 004 name that the
 * catalogue lacked — each in its area, with its department and the seed
 * and clause it comes from. */
static void test_seed_services_item7(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    static const struct {
        const char *code, *name, *area, *dept, *cite1, *cite2;
    } want[] = {
        { "startup_launch_plan", "中国留学人员回国创业启动支持计划推荐", "项目申报", "rsj", "第8条", "seed 000" },
        { "growth_enterprise_nomination", "最具成长潜力留学人员创业企业推荐", "项目申报", "rsj", "第8条", "seed 003" },
        { "postdoc_funding", "重庆市博士后资助项目", "项目申报", "rsj", "第8条", "第（四）条" },
        { "expert_studio", "重庆市专家工作室", "项目申报", "rsj", "第8条", "seed 000" },
        { "academic_leader", "重庆市学术技术带头人", "项目申报", "rsj", "第8条", "第十一条" },
        { "special_allowance", "政府特殊津贴申报", "项目申报", "rsj", "第十一条", "seed 003" },
        { "outstanding_talent_award", "新重庆杰出人才奖推荐", "项目申报", "rsj", "第十一条", "第（十二）条" },
        { "qualification_exam", "专业技术类职业资格考试报名", "人才认定", "rsj", "第7条", "seed 000" },
        { "ip_pledge_financing", "知识产权质押融资", "金融服务", "gxq", "第13条", "seed 000" },
        { "visa_r", "R字签证（外籍优秀科学家）", "出入境", "gaj", "第4条", "2—5年" },
        { "team_member_visa", "外籍团队成员长期签证或居留许可", "出入境", "gaj", "第4条", "5年以内" },
        { "tax_remittance", "个人所得税优惠及税后收入汇出", "服务快办", "sw", "第（七）条", "seed 004" },
        { "hkmo_travel", "赴港澳手续", "出入境", "gaj", "第（十三）条", "seed 004" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        td_service sv;
        td_err err;
        td_err_clear(&err);
        if (td_service_get(db, want[i].name, &sv, &err) != TD_OK)
            fail_msg("service %s missing: %s", want[i].name, err.msg);
        assert_string_equal(sv.id, want[i].code);
        assert_string_equal(sv.area, want[i].area);
        assert_string_equal(sv.department_id, want[i].dept);
        if (!strstr(sv.source, want[i].cite1) || !strstr(sv.source, want[i].cite2))
            fail_msg("%s: source '%s' lacks '%s' or '%s'", want[i].code, sv.source, want[i].cite1, want[i].cite2);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM service_docs WHERE service_id = '%s' AND required = 1",
                 want[i].code);
        assert_true(q_int(db, sql) >= 1);
    }
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE deleted_at IS NULL"), 60);
    td_db_close(db);
}

/* ------------------------------------------------------ query API */

static void test_service_get(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    td_service a, b;
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_service_get(db, "enterprise_setup", &a, &err), &err);
    assert_string_equal(a.id, "enterprise_setup");
    assert_string_equal(a.name, "企业开办");
    assert_string_equal(a.name_en, "Enterprise start-up");
    assert_string_equal(a.area, "就业创业");
    assert_string_equal(a.department_id, "rsj");
    assert_true(a.days_is_default);
    assert_int_equal(a.days, 3);
    assert_td_ok(td_service_get(db, "企业开办", &b, &err), &err);
    assert_string_equal(b.id, "enterprise_setup");
    assert_int_equal(td_service_get(db, "no_such_service", &a, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no_such_service"));
    assert_non_null(strstr(err.msg, "没有这项服务"));
    assert_int_equal(td_service_get(db, "", &a, &err), TD_ENOTFOUND);
    td_db_close(db);
}

typedef struct {
    int n, stop_at;
    char first[48], last[48];
    char prev_area[64];
    int area_switches;
} each_ud;

static int each_cb(const td_service *s, void *ud)
{
    each_ud *u = ud;
    if (u->n == 0)
        snprintf(u->first, sizeof u->first, "%s", s->id);
    snprintf(u->last, sizeof u->last, "%s", s->id);
    if (strcmp(u->prev_area, s->area) != 0) {
        u->area_switches++;
        snprintf(u->prev_area, sizeof u->prev_area, "%s", s->area);
    }
    u->n++;
    return u->stop_at && u->n >= u->stop_at;
}

static void test_service_each(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    td_err err;
    td_err_clear(&err);
    each_ud u = { 0 };
    assert_td_ok(td_service_each(db, each_cb, &u, &err), &err);
    assert_int_equal(u.n, q_int(db, "SELECT count(*) FROM services"));
    assert_string_equal(u.first, "startup_funding"); /* file order */
    assert_string_equal(u.last, "hkmo_travel"); /* the last of 出入境 (issue 13 added it) */
    assert_int_equal(u.area_switches, 9); /* grouped by area: each area once */
    each_ud v = { .stop_at = 3 };
    assert_td_ok(td_service_each(db, each_cb, &v, &err), &err);
    assert_int_equal(v.n, 3);
    td_db_close(db);
}

typedef struct {
    int n, required;
    char ids[16][64];
    char names[16][128];
} docs_ud;

static int docs_cb(const char *id, const char *name, bool required, void *ud)
{
    docs_ud *u = ud;
    if (u->n < 16) {
        snprintf(u->ids[u->n], sizeof u->ids[0], "%s", id);
        snprintf(u->names[u->n], sizeof u->names[0], "%s", name);
    }
    u->n++;
    u->required += required;
    return 0;
}

static void test_service_docs(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    td_err err;
    td_err_clear(&err);
    docs_ud u = { 0 };
    assert_td_ok(td_service_docs_each(db, "startup_funding", docs_cb, &u, &err), &err);
    assert_int_equal(u.n, 9);
    assert_int_equal(u.required, 6);
    assert_string_equal(u.ids[0], "application_form");
    assert_string_equal(u.names[0], "申请表");
    assert_string_equal(u.ids[8], "financial_statement"); /* optional ones last, file order */
    docs_ud none = { 0 };
    assert_td_ok(td_service_docs_each(db, "no_such_service", docs_cb, &none, &err), &err);
    assert_int_equal(none.n, 0);
    td_db_close(db);
}

/* ------------------------------------------------ reload and changes */

static void test_reload_idempotent(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char before_ts[64], after_ts[64];
    q_text(db, "SELECT max(updated_at) FROM services", before_ts, sizeof before_ts);
    counts a = count_all(db);
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_counts_equal(a, count_all(db));
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM services"), 1);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM service_docs"), 1);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM calendar_days"), 1);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM departments"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions"), 6);
    assert_string_equal(q_text(db, "SELECT max(updated_at) FROM services", after_ts, sizeof after_ts),
                        before_ts);
    td_db_close(db);
}

static void test_changed_days(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char old_pv[64], new_pv[64], buf[64];
    q_text(db, "SELECT policy_version FROM services WHERE id = 'archive_transfer'", old_pv, sizeof old_pv);
    char *dir = copy_data();
    edit(dir, "services.tdp", "[service archive_transfer]\nname = 档案转接\nname_en = Personnel file transfer\narea = quick\ndays = 5\ndays_default = yes",
         "[service archive_transfer]\nname = 档案转接\nname_en = Personnel file transfer\narea = quick\ndays = 7\ndays_default = no");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, dir, "user-1", &err), &err);
    td_service sv;
    assert_td_ok(td_service_get(db, "archive_transfer", &sv, &err), &err);
    assert_int_equal(sv.days, 7);
    assert_false(sv.days_is_default);
    assert_int_equal(q_int(db, "SELECT row_version FROM services WHERE id = 'archive_transfer'"), 2);
    /* only that row changed */
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE row_version <> 1"), 1);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM service_docs"), 1);
    /* a new version of services.tdp, with its content and loader */
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions"), 7);
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions WHERE name = 'services.tdp'"), 2);
    q_text(db, "SELECT policy_version FROM services WHERE id = 'archive_transfer'", new_pv, sizeof new_pv);
    assert_string_not_equal(old_pv, new_pv);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT loaded_by FROM policy_versions WHERE id = '%s'", new_pv);
    assert_string_equal(q_text(db, sql, buf, sizeof buf), "user-1");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM policy_versions WHERE id = '%s' AND content LIKE '%%days = 7%%'", new_pv);
    assert_int_equal(q_int(db, sql), 1);
    /* unchanged rows keep the version that introduced their content */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM services WHERE policy_version = '%s'", old_pv);
    assert_int_equal(q_int(db, sql), q_int(db, "SELECT count(*) FROM services") - 1);

    /* loading it again changes nothing more */
    counts c = count_all(db);
    assert_td_ok(td_refdata_load(db, dir, "user-1", &err), &err);
    assert_counts_equal(c, count_all(db));

    /* going back to the shipped file: content changes again, the old version is reused */
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_int_equal(q_int(db, "SELECT row_version FROM services WHERE id = 'archive_transfer'"), 3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions"), 7);
    assert_string_equal(q_text(db, "SELECT policy_version FROM services WHERE id = 'archive_transfer'", buf,
                               sizeof buf),
                        old_pv);
    rm_copy(dir);
    td_db_close(db);
}

static void test_comment_only_change(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char *dir = copy_data();
    edit(dir, "doc_types.tdp", "[doc photo]", "# a new comment\n[doc photo]");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, dir, NULL, &err), &err);
    /* a new version of the file is recorded, but no row changed */
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions WHERE name = 'doc_types.tdp'"), 2);
    assert_int_equal(q_int(db, "SELECT max(row_version) FROM doc_types"), 1);
    rm_copy(dir);
    td_db_close(db);
}

static void test_removed_and_restored(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char *dir = copy_data();
    /* drop a whole service and one document of another */
    edit(dir, "services.tdp", "[service legal_aid]", "[service legal_aid_x]");
    edit(dir, "services.tdp", "name = 法律援助", "name = 法律援助（新）");
    edit(dir, "services.tdp", "doc = archive_letter\n", "");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, dir, NULL, &err), &err);
    td_service sv;
    assert_int_equal(td_service_get(db, "legal_aid", &sv, &err), TD_ENOTFOUND);
    assert_td_ok(td_service_get(db, "legal_aid_x", &sv, &err), &err);
    /* soft-deleted, never removed */
    assert_int_equal(q_int(db, "SELECT row_version FROM services WHERE id = 'legal_aid' AND deleted_at IS "
                               "NOT NULL"),
                     2);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_docs WHERE service_id = 'legal_aid' AND "
                               "deleted_at IS NULL"),
                     0);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_docs WHERE id = 'archive_transfer:archive_letter' "
                               "AND deleted_at IS NOT NULL"),
                     1);
    docs_ud u = { 0 };
    assert_td_ok(td_service_docs_each(db, "archive_transfer", docs_cb, &u, &err), &err);
    assert_int_equal(u.n, 2);
    each_ud e = { 0 };
    long live = q_int(db, "SELECT count(*) FROM services WHERE deleted_at IS NULL");
    assert_td_ok(td_service_each(db, each_cb, &e, &err), &err);
    assert_int_equal(e.n, live);
    /* back to the shipped data: the row comes back */
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_td_ok(td_service_get(db, "legal_aid", &sv, &err), &err);
    assert_int_equal(q_int(db, "SELECT row_version FROM services WHERE id = 'legal_aid' AND deleted_at IS NULL"),
                     3);
    assert_int_equal(q_int(db, "SELECT count(*) FROM service_docs WHERE id = 'archive_transfer:archive_letter' "
                               "AND deleted_at IS NULL"),
                     1);
    rm_copy(dir);
    td_db_close(db);
}

static void test_next_year_calendar(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    char *dir = copy_data();
    put(dir, "calendar-2027.tdp",
        "[year 2027]\nsource = test notice\n\n[holiday new_year]\nname = 元旦\noff = 2027-01-01\n");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_refdata_load(db, dir, NULL, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_years"), 2);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_days WHERE id = '2027-01-01' AND kind = 'off'"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions WHERE kind = 'calendar'"), 2);
    /* removing the file again retires the year */
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_years"), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM calendar_days WHERE id = '2027-01-01' AND deleted_at IS "
                               "NOT NULL"),
                     1);
    rm_copy(dir);
    td_db_close(db);
}

static void test_audit_when_station(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_setting_set(db, "local_station", "station-test", &err), &err);
    assert_td_ok(td_refdata_load(db, data_dir, "u1", &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'policy.load'"), 6);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE user_id = 'u1' AND entity = "
                               "'policy_versions'"),
                     6);
    assert_td_ok(td_refdata_load(db, data_dir, "u1", &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log"), 6);
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    td_db_close(db);
}

static void test_refuses_inside_transaction(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_db_begin(db, &err), &err);
    assert_int_equal(td_refdata_load(db, data_dir, NULL, &err), TD_ERR);
    td_db_rollback(db);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services"), 0);
    td_db_close(db);
}

static void test_missing_dir_and_file(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_refdata_load(db, "/nonexistent/talentdesk-data", NULL, &err), TD_ENOTFOUND);
    char *dir = copy_data();
    char p[4096 + 64];
    snprintf(p, sizeof p, "%s/services.tdp", dir);
    unlink(p);
    assert_int_equal(td_refdata_load(db, dir, NULL, &err), TD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "services.tdp"));
    assert_int_equal(q_int(db, "SELECT count(*) FROM departments"), 0);
    rm_copy(dir);
    td_db_close(db);
}

/* ------------------------------------------------- malformed files */

static void test_reject_unknown_key(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "[service internship]\n", "[service internship]\ncolour = red\n");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "colour = red"), "colour");
    rm_copy(dir);
}

static void test_reject_missing_name(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "departments.tdp", "name = 重庆市公安局\n", "");
    expect_reject(dir, "departments.tdp", line_of(dir, "departments.tdp", "[department gaj]"), "name");
    rm_copy(dir);
}

static void test_reject_bad_doc_reference(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "doc = archive_letter", "doc = foo");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "doc = foo"), "未知的材料类型“foo”");
    rm_copy(dir);
}

static void test_reject_bad_optional_doc(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "doc_optional = patent_cert", "doc_optional = patent");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "doc_optional = patent\n"), "patent");
    rm_copy(dir);
}

static void test_reject_bad_date(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "calendar-2026.tdp", "work = 2026-02-28", "work = 2026-02-30");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "2026-02-30"), "2026-02-30");
    rm_copy(dir);
}

static void test_reject_bad_range(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "calendar-2026.tdp", "off = 2026-04-04..2026-04-06", "off = 2026-04-06..2026-04-04");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "2026-04-06..2026-04-04"), NULL);
    rm_copy(dir);
    dir = copy_data();
    edit(dir, "calendar-2026.tdp", "off = 2026-04-04..2026-04-06", "off = 2026-04-04..");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "off = 2026-04-04.."), NULL);
    rm_copy(dir);
}

static void test_reject_duplicate_id(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "doc_types.tdp", "[doc marriage_cert]", "[doc photo]");
    expect_reject(dir, "doc_types.tdp", line_of(dir, "doc_types.tdp", "[doc photo]\nname = 结婚证"), "photo");
    rm_copy(dir);
}

static void test_reject_duplicate_service(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "[service legal_aid]", "[service internship]");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service internship]\nname = 法律援助"),
                  "internship");
    rm_copy(dir);
}

static void test_reject_duplicate_service_name(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "name = 法律援助", "name = 就业见习");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "name = 就业见习\nname_en = Legal"), NULL);
    rm_copy(dir);
}

static void test_reject_entry_before_section(void **state)
{
    (void)state;
    char *dir = copy_data();
    put(dir, "categories.tdp", "# comment\nname = 无节\n[category x]\nname = X\n");
    expect_reject(dir, "categories.tdp", 2, NULL);
    rm_copy(dir);
}

static void test_reject_days_out_of_range(void **state)
{
    (void)state;
    const char *bad[] = { "days = 0", "days = 366", "days = abc", "days = -3", "days = 1.5",
                          "days = 99999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = copy_data();
        char repl[128];
        snprintf(repl, sizeof repl, "%s\ndays_default = yes\ndepartment = kx", bad[i]);
        edit(dir, "services.tdp", "days = 10\ndays_default = yes\ndepartment = kx", repl);
        expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", repl), "days");
        rm_copy(dir);
    }
}

static void test_reject_unknown_department(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "department = omtxh", "department = xyz");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "department = xyz"), "xyz");
    rm_copy(dir);
}

static void test_reject_unknown_area(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "area = park", "area = garden");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "area = garden"), "garden");
    rm_copy(dir);
}

static void test_reject_missing_required_service_keys(void **state)
{
    (void)state;
    const char *src = "source = 渝人社发〔2022〕62号 第5条及任务分解表第8项（seed 000）\n";
    char old[512], new[512];
    /* area */
    char *dir = copy_data();
    edit(dir, "services.tdp", "name_en = Legal aid\narea = living\n", "name_en = Legal aid\n");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service legal_aid]"), "area");
    rm_copy(dir);
    /* source */
    dir = copy_data();
    snprintf(old, sizeof old, "name_en = Legal aid\narea = living\ndays = 5\ndays_default = yes\n"
             "department = gxq\n%s", src);
    snprintf(new, sizeof new, "name_en = Legal aid\narea = living\ndays = 5\ndays_default = yes\n"
             "department = gxq\n");
    edit(dir, "services.tdp", old, new);
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service legal_aid]"), "source");
    rm_copy(dir);
    /* days, department */
    dir = copy_data();
    edit(dir, "services.tdp", "name_en = Legal aid\narea = living\ndays = 5\n", "name_en = Legal aid\narea = living\n");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service legal_aid]"), "days");
    rm_copy(dir);
    dir = copy_data();
    edit(dir, "services.tdp", "days_default = yes\ndepartment = gxq\nsource = 渝人社发〔2022〕62号 第5条及任务分解表第8项",
         "days_default = yes\nsource = 渝人社发〔2022〕62号 第5条及任务分解表第8项");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service legal_aid]"), "department");
    rm_copy(dir);
}

static void test_reject_no_required_doc(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "[service legal_aid]\nname = 法律援助\nname_en = Legal aid\narea = living\ndays = 5\ndays_default = yes\ndepartment = gxq\nsource = 渝人社发〔2022〕62号 第5条及任务分解表第8项（seed 000）\ndoc = application_form\ndoc = identity",
         "[service legal_aid]\nname = 法律援助\nname_en = Legal aid\narea = living\ndays = 5\ndays_default = yes\ndepartment = gxq\nsource = 渝人社发〔2022〕62号 第5条及任务分解表第8项（seed 000）\ndoc_optional = application_form");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "[service legal_aid]"), "legal_aid");
    rm_copy(dir);
}

static void test_reject_duplicate_doc_in_service(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "doc = archive_letter", "doc = archive_letter\ndoc_optional = archive_letter");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "doc_optional = archive_letter"), NULL);
    rm_copy(dir);
}

static void test_reject_key_twice(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "days = 3\ndays_default = yes\ndepartment = hg",
         "days = 3\ndays = 4\ndays_default = yes\ndepartment = hg");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "days = 4"), "days");
    rm_copy(dir);
}

static void test_reject_bad_days_default(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "services.tdp", "days = 3\ndays_default = yes\ndepartment = hg", "days = 3\ndays_default = maybe\ndepartment = hg");
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", "maybe"), "maybe");
    rm_copy(dir);
}

static void test_reject_invalid_code(void **state)
{
    (void)state;
    const char *bad[] = { "[service Legal-Aid]", "[service 1abc]", "[service]",
                          "[service abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij]" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *dir = copy_data();
        edit(dir, "services.tdp", "[service legal_aid]", bad[i]);
        expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", bad[i]), NULL);
        rm_copy(dir);
    }
}

static void test_reject_unexpected_section(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "tiers.tdp", "[tier basic]", "[level basic]");
    expect_reject(dir, "tiers.tdp", line_of(dir, "tiers.tdp", "[level basic]"), "level");
    rm_copy(dir);
}

static void test_reject_tier_rank(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "tiers.tdp", "rank = 5", "rank = 3");
    expect_reject(dir, "tiers.tdp", line_of(dir, "tiers.tdp", "rank = 3\ndescription = “塔基”"), "3");
    rm_copy(dir);
    dir = copy_data();
    edit(dir, "tiers.tdp", "rank = 5", "rank = zero");
    expect_reject(dir, "tiers.tdp", line_of(dir, "tiers.tdp", "rank = zero"), "zero");
    rm_copy(dir);
    dir = copy_data();
    edit(dir, "tiers.tdp", "rank = 5\n", "");
    expect_reject(dir, "tiers.tdp", line_of(dir, "tiers.tdp", "[tier basic]"), "rank");
    rm_copy(dir);
}

static void test_reject_workday_not_weekend(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "calendar-2026.tdp", "work = 2026-05-09", "work = 2026-05-08");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "2026-05-08"), "2026-05-08");
    rm_copy(dir);
}

static void test_reject_date_twice(void **state)
{
    (void)state;
    char *dir = copy_data();
    /* 2026-01-04 is already the worked day of 元旦: the later line is blamed,
     * and the message names the earlier one */
    edit(dir, "calendar-2026.tdp", "work = 2026-10-10", "work = 2026-10-10\nwork = 2026-01-04");
    char also[64];
    snprintf(also, sizeof also, "calendar-2026.tdp:%d", line_of(dir, "calendar-2026.tdp", "work = 2026-01-04"));
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "work = 2026-10-10") + 1, also);
    rm_copy(dir);
    dir = copy_data();
    /* overlapping ranges */
    edit(dir, "calendar-2026.tdp", "off = 2026-06-19..2026-06-21", "off = 2026-06-19..2026-06-21\noff = 2026-06-21");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "off = 2026-06-21\n"), NULL);
    rm_copy(dir);
}

static void test_reject_date_other_year(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "calendar-2026.tdp", "work = 2026-01-04", "work = 2027-01-03");
    expect_reject(dir, "calendar-2026.tdp", line_of(dir, "calendar-2026.tdp", "2027-01-03"), "2026");
    rm_copy(dir);
}

static void test_reject_calendar_year_mismatch(void **state)
{
    (void)state;
    char *dir = copy_data();
    put(dir, "calendar-2027.tdp", "[year 2026]\nsource = x\n[holiday a]\nname = A\noff = 2027-01-01\n");
    expect_reject(dir, "calendar-2027.tdp", 1, NULL);
    rm_copy(dir);
    dir = copy_data();
    put(dir, "calendar-2027.tdp", "[holiday a]\nname = A\noff = 2027-01-01\n");
    expect_reject(dir, "calendar-2027.tdp", 1, "2027");
    rm_copy(dir);
    dir = copy_data();
    put(dir, "calendar-2027.tdp", "[year 2027]\nsource = x\n[holiday a]\nname = A\n");
    expect_reject(dir, "calendar-2027.tdp", 3, NULL);
    rm_copy(dir);
}

static void test_reject_calendar_file_name(void **state)
{
    (void)state;
    char *dir = copy_data();
    put(dir, "calendar-next.tdp", "[year 2027]\nsource = x\n");
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_refdata_load(db, dir, NULL, &err), TD_EPOLICY);
    assert_non_null(strstr(err.msg, "calendar-next.tdp"));
    assert_int_equal(q_int(db, "SELECT count(*) FROM policy_versions"), 0);
    td_db_close(db);
    rm_copy(dir);
}

static void test_reject_syntax_and_encoding(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "doc_types.tdp", "[doc photo]", "[doc photo]\nthis line has no equals sign");
    expect_reject(dir, "doc_types.tdp", line_of(dir, "doc_types.tdp", "this line has no"), NULL);
    rm_copy(dir);
    dir = copy_data();
    edit(dir, "doc_types.tdp", "name = 照片", "name = \xff\xfe");
    expect_reject(dir, "doc_types.tdp", line_of(dir, "doc_types.tdp", "name = \xff"), NULL);
    rm_copy(dir);
}

static void test_reject_empty_value_and_long_name(void **state)
{
    (void)state;
    char *dir = copy_data();
    edit(dir, "doc_types.tdp", "name = 照片", "name =");
    expect_reject(dir, "doc_types.tdp", line_of(dir, "doc_types.tdp", "name =\n"), "name");
    rm_copy(dir);
    dir = copy_data();
    char longname[400];
    strcpy(longname, "name = ");
    for (int i = 0; i < 50; i++)
        strcat(longname, "很长");
    edit(dir, "services.tdp", "name = 法律援助", longname);
    expect_reject(dir, "services.tdp", line_of(dir, "services.tdp", longname), NULL);
    rm_copy(dir);
}

/* ------------------------------------------- versions, admin, names */

typedef struct {
    int n, current;
    char cur_services[40];
    char by[64];
} ver_ud;

static int ver_cb(const td_policy_version *v, void *ud)
{
    ver_ud *u = ud;
    u->n++;
    u->current += v->current;
    if (v->current && strcmp(v->name, "services.tdp") == 0) {
        snprintf(u->cur_services, sizeof u->cur_services, "%s", v->id);
        snprintf(u->by, sizeof u->by, "%s", v->loaded_by);
    }
    return 0;
}

static void test_policy_versions_current(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    td_err err;
    td_err_clear(&err);
    ver_ud a = { 0 };
    assert_td_ok(td_policy_versions_each(db, ver_cb, &a, &err), &err);
    assert_int_equal(a.n, 6);
    assert_int_equal(a.current, 6);
    char first[40];
    snprintf(first, sizeof first, "%s", a.cur_services);

    /* B: a changed services.tdp becomes current */
    char *dir = copy_data();
    edit(dir, "services.tdp", "name = 法律援助", "name = 法律援助服务");
    assert_td_ok(td_refdata_load(db, dir, NULL, &err), &err);
    ver_ud b = { 0 };
    assert_td_ok(td_policy_versions_each(db, ver_cb, &b, &err), &err);
    assert_int_equal(b.n, 7);
    assert_int_equal(b.current, 6);
    assert_string_not_equal(b.cur_services, first);

    /* A again: the first version is current again, no new row */
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    ver_ud c = { 0 };
    assert_td_ok(td_policy_versions_each(db, ver_cb, &c, &err), &err);
    assert_int_equal(c.n, 7);
    assert_int_equal(c.current, 6);
    assert_string_equal(c.cur_services, first);
    /* and loading A once more changes nothing at all */
    counts before = count_all(db);
    long pv_rv = q_int(db, "SELECT total(row_version) FROM policy_versions");
    assert_td_ok(td_refdata_load(db, data_dir, NULL, &err), &err);
    assert_counts_equal(before, count_all(db));
    assert_int_equal(q_int(db, "SELECT total(row_version) FROM policy_versions"), pv_rv);

    rm_copy(dir);
    td_db_close(db);
}

static int stop_first(const td_policy_version *v, void *ud)
{
    (void)v;
    ++*(int *)ud;
    return 1;
}

static void test_policy_versions_stop_and_empty(void **state)
{
    (void)state;
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    int n = 0;
    assert_td_ok(td_policy_versions_each(db, stop_first, &n, &err), &err);
    assert_int_equal(n, 0);
    td_db_close(db);
    db = loaded_db();
    assert_td_ok(td_policy_versions_each(db, stop_first, &n, &err), &err);
    assert_int_equal(n, 1);
    td_db_close(db);
}

static void test_load_as_admin_only(void **state)
{
    (void)state;
    td_db *db = td_test_db_loaded();
    td_actor admin = td_test_actor(db, "admin");
    td_actor clerk = td_test_actor(db, "clerk1");
    td_err err;
    td_err_clear(&err);
    char *dir = copy_data();
    edit(dir, "services.tdp", "name = 法律援助", "name = 法律援助服务");
    long audit = q_int(db, "SELECT count(*) FROM audit_log");
    assert_int_equal(td_refdata_load_as(db, &clerk, dir, &err), TD_EDENIED);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE name = '法律援助服务'"), 0);
    /* the refusal itself is audited (issue 10: every permission refusal), nothing else */
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log"), audit + 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log WHERE action = 'auth.denied'"), 1);
    assert_td_ok(td_refdata_load_as(db, &admin, dir, &err), &err);
    assert_int_equal(q_int(db, "SELECT count(*) FROM services WHERE name = '法律援助服务'"), 1);
    /* the new version is recorded as loaded by admin, and audited */
    ver_ud u = { 0 };
    assert_td_ok(td_policy_versions_each(db, ver_cb, &u, &err), &err);
    assert_string_equal(u.by, "admin");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'policy.load' AND entity_id = '%s' AND "
             "user_id = '%s' AND field = 'services.tdp'",
             u.cur_services, admin.user_id);
    assert_int_equal(q_int(db, sql), 1);
    assert_int_equal(q_int(db, "SELECT count(*) FROM audit_log"), audit + 2); /* the refusal, the load */
    td_audit_report rep;
    assert_td_ok(td_audit_verify(db, &rep, &err), &err);
    rm_copy(dir);
    td_db_close(db);
}

static void test_department_name(void **state)
{
    (void)state;
    td_db *db = loaded_db();
    td_err err;
    td_err_clear(&err);
    char buf[256];
    assert_td_ok(td_department_name(db, "jrb", buf, sizeof buf, &err), &err);
    assert_string_equal(buf, "中共重庆市委金融委员会办公室");
    assert_td_ok(td_department_name(db, "gxq", buf, sizeof buf, &err), &err);
    assert_non_null(strstr(buf, "高新区"));
    assert_int_equal(td_department_name(db, "nope", buf, sizeof buf, &err), TD_ENOTFOUND);
    assert_string_equal(buf, "");
    /* a small buffer is filled without cutting a character */
    char small[8];
    assert_td_ok(td_department_name(db, "rsj", small, sizeof small, &err), &err);
    assert_string_equal(small, "重庆");
    td_db_close(db);
}

/* Robustness: deleting any single line of services.tdp either still loads
 * or is rejected with "services.tdp:N:" for a line N of that file — never
 * a crash, another file blamed, or a partial write. */
static void test_every_line_deleted(void **state)
{
    (void)state;
    char path[4096 + 32];
    snprintf(path, sizeof path, "%s/services.tdp", data_dir);
    char *orig = read_file(path);
    int nlines = 0;
    for (char *c = orig; *c; c++)
        nlines += *c == '\n';
    char *dir = copy_data();
    td_db *db = loaded_db();
    counts base = count_all(db);
    int rejected = 0;
    for (int del = 1; del <= nlines; del++) {
        /* write the file without line `del` */
        size_t len = strlen(orig);
        char *out = malloc(len + 1);
        assert_non_null(out);
        size_t o = 0;
        int line = 1;
        for (size_t i = 0; i < len; i++) {
            if (line != del)
                out[o++] = orig[i];
            if (orig[i] == '\n')
                line++;
        }
        out[o] = '\0';
        put(dir, "services.tdp", out);
        free(out);
        td_err err;
        td_err_clear(&err);
        td_status s = td_refdata_check(dir, &err);
        if (s == TD_OK)
            continue;
        rejected++;
        assert_int_equal(s, TD_EPOLICY);
        int at = 0;
        if (sscanf(err.msg, "services.tdp:%d:", &at) != 1)
            fail_msg("line %d deleted: message '%s'", del, err.msg);
        assert_true(at >= 1 && at <= nlines);
        if (del % 20 == 0) { /* and the database stays as it was */
            assert_int_equal(td_refdata_load(db, dir, NULL, &err), TD_EPOLICY);
            assert_counts_equal(base, count_all(db));
        }
    }
    /* the required keys and every first `doc =` are essential */
    assert_true(rejected >= 47 * 4);
    td_db_close(db);
    rm_copy(dir);
    free(orig);
}

int main(void)
{
    td_test_init();
    snprintf(data_dir, sizeof data_dir, "%s/data", td_test_src_dir());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_shipped_data),
        cmocka_unit_test(test_load_counts),
        cmocka_unit_test(test_seed_facts),
        cmocka_unit_test(test_seed_services_item7),
        cmocka_unit_test(test_service_get),
        cmocka_unit_test(test_service_each),
        cmocka_unit_test(test_service_docs),
        cmocka_unit_test(test_reload_idempotent),
        cmocka_unit_test(test_changed_days),
        cmocka_unit_test(test_comment_only_change),
        cmocka_unit_test(test_removed_and_restored),
        cmocka_unit_test(test_next_year_calendar),
        cmocka_unit_test(test_audit_when_station),
        cmocka_unit_test(test_refuses_inside_transaction),
        cmocka_unit_test(test_missing_dir_and_file),
        cmocka_unit_test(test_reject_unknown_key),
        cmocka_unit_test(test_reject_missing_name),
        cmocka_unit_test(test_reject_bad_doc_reference),
        cmocka_unit_test(test_reject_bad_optional_doc),
        cmocka_unit_test(test_reject_bad_date),
        cmocka_unit_test(test_reject_bad_range),
        cmocka_unit_test(test_reject_duplicate_id),
        cmocka_unit_test(test_reject_duplicate_service),
        cmocka_unit_test(test_reject_duplicate_service_name),
        cmocka_unit_test(test_reject_entry_before_section),
        cmocka_unit_test(test_reject_days_out_of_range),
        cmocka_unit_test(test_reject_unknown_department),
        cmocka_unit_test(test_reject_unknown_area),
        cmocka_unit_test(test_reject_missing_required_service_keys),
        cmocka_unit_test(test_reject_no_required_doc),
        cmocka_unit_test(test_reject_duplicate_doc_in_service),
        cmocka_unit_test(test_reject_key_twice),
        cmocka_unit_test(test_reject_bad_days_default),
        cmocka_unit_test(test_reject_invalid_code),
        cmocka_unit_test(test_reject_unexpected_section),
        cmocka_unit_test(test_reject_tier_rank),
        cmocka_unit_test(test_reject_workday_not_weekend),
        cmocka_unit_test(test_reject_date_twice),
        cmocka_unit_test(test_reject_date_other_year),
        cmocka_unit_test(test_reject_calendar_year_mismatch),
        cmocka_unit_test(test_reject_calendar_file_name),
        cmocka_unit_test(test_reject_syntax_and_encoding),
        cmocka_unit_test(test_reject_empty_value_and_long_name),
        cmocka_unit_test(test_policy_versions_current),
        cmocka_unit_test(test_policy_versions_stop_and_empty),
        cmocka_unit_test(test_load_as_admin_only),
        cmocka_unit_test(test_department_name),
        cmocka_unit_test(test_every_line_deleted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
