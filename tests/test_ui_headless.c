/* test_ui_headless.c — drives the real interface from key scripts on a
 * virtual screen (ui_run with ui_options.script) and reads the screen back:
 * the home screen and F-key bar, the field editor inside the intake form
 * (张三abc ←←← Backspace), drafts surviving an interrupted session, help from
 * the key table, resizing, every BLNS string typed into the name field, and
 * the possible-duplicate warning at intake. */
#include "people/person.h"
#include "ui.h"
#include "base/text.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static td_db *g_db;
static td_actor g_clerk;
static char g_dir[256];

static int setup(void **st)
{
    (void)st;
    g_db = td_test_db_loaded();
    g_clerk = td_test_actor(g_db, "clerk1");
    snprintf(g_dir, sizeof g_dir, "/tmp/td-ui-headless-%d", (int)getpid());
    mkdir(g_dir, 0700);
    char state[300];
    snprintf(state, sizeof state, "%s/state", g_dir);
    setenv("XDG_STATE_HOME", state, 1);
    setenv("TALENTDESK_NOW", "2026-03-16T02:00:00Z", 1);
    unsetenv("TALENTDESK_QUEUE");
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    td_db_close(g_db);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        return 1;
    return 0;
}

static char *path(const char *name)
{
    static char buf[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_dir, name);
    return buf[k];
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    return b;
}

/* Runs a script; returns ui_run's result. */
static int run(const char *script, int rows, int cols, const char *output)
{
    char *sp = path("script.keys");
    write_file(sp, script);
    ui_options o = { .script = sp, .rows = rows, .cols = cols, .ambiwidth = 1, .output = output };
    td_err err;
    td_err_clear(&err);
    int rc = ui_run(g_db, &g_clerk, &o, &err);
    if (rc != 0)
        fprintf(stderr, "ui_run: %s\n", err.msg);
    return rc;
}

static void remove_drafts(void)
{
    char p[400];
    snprintf(p, sizeof p, "%s/state/talentdesk/drafts/clerk1-intake.json", g_dir);
    unlink(p);
    /* and the remembered defaults: each test starts from a blank intake */
    snprintf(p, sizeof p, "%s/state/talentdesk/defaults/clerk1-intake.json", g_dir);
    unlink(p);
}

/* Line n (0-based) of a dump. */
static void line_of(const char *dump, int n, char *out, size_t len)
{
    const char *p = dump;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    out[0] = 0;
    if (!p)
        return;
    size_t k = strcspn(p, "\n");
    if (k >= len)
        k = len - 1;
    memcpy(out, p, k);
    out[k] = 0;
}

static void test_home_screen(void **st)
{
    (void)st;
    char script[512];
    snprintf(script, sizeof script, ":dump %s\n", path("home.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("home.txt"));
    char l[1024];
    line_of(d, 0, l, sizeof l);
    assert_contains(l, "工作队列");   /* title: the screen */
    assert_contains(l, "王芳");       /* the user */
    assert_contains(l, "2026-03-16"); /* today (pinned) */
    line_of(d, 1, l, sizeof l);
    assert_contains(l, "我的案件");
    line_of(d, 23, l, sizeof l);
    assert_contains(l, "1帮助");
    assert_contains(l, "2受理");
    assert_contains(l, "10退出");
    assert_null(strstr(l, "保存")); /* not a key of this screen */
    /* every line fits in 80 columns */
    for (int i = 0; i < 24; i++) {
        line_of(d, i, l, sizeof l);
        assert_cmp(td_text_width(l), <=, 80);
    }
    free(d);
}

/* The pitfall test inside the real form: the cursor lands after 张. */
static void test_intake_field_editor(void **st)
{
    (void)st;
    remove_drafts();
    char script[1024];
    unlink(path("cur.txt"));
    snprintf(script, sizeof script, "<F2>张三abc<Left><Left><Left><BS>\n:dump %s\n:cursor %s\n", path("form.txt"),
             path("cur.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("form.txt"));
    char l[1024];
    line_of(d, 2, l, sizeof l);
    assert_contains(l, "姓名*");
    assert_contains(l, "张abc");
    assert_null(strstr(l, "三"));
    line_of(d, 23, l, sizeof l);
    assert_contains(l, "2保存");
    assert_contains(l, "10取消");
    char *c = read_file(path("cur.txt"));
    int y = -1, x = -1;
    assert_int_equal(sscanf(c, "%d %d", &y, &x), 2);
    /* the field starts at column 16; 张 is two columns wide */
    int field_x = (int)(strstr(l, "") - l); /* silence unused warnings */
    (void)field_x;
    line_of(d, 2, l, sizeof l);
    char *z = strstr(l, "张");
    assert_non_null(z);
    char prefix[1024];
    memcpy(prefix, l, (size_t)(z - l));
    prefix[z - l] = 0;
    assert_int_equal(y, 2);
    assert_int_equal(x, td_text_width(prefix) + 2);
    free(c);
    free(d);
}

/* A session that ends in the middle of typing (crash, dropped SSH) leaves
 * a draft; the next intake form restores it and says so. */
static void test_draft_survives(void **st)
{
    (void)st;
    remove_drafts();
    assert_int_equal(run("<F2>李四<Tab>\n", 24, 80, NULL), 0);
    char script[512];
    snprintf(script, sizeof script, "<F2>\n:dump %s\n", path("draft.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("draft.txt"));
    assert_contains(d, "李四");
    assert_contains(d, "草稿");
    free(d);
    /* Esc asks before throwing it away; n keeps the form open */
    snprintf(script, sizeof script, "<F2><Esc>\n:dump %s\nn\n:dump %s\n<Esc>y\n:dump %s\n", path("ask.txt"),
             path("kept.txt"), path("gone.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    d = read_file(path("ask.txt"));
    assert_contains(d, "放弃");
    free(d);
    d = read_file(path("kept.txt"));
    assert_contains(d, "李四");
    free(d);
    d = read_file(path("gone.txt"));
    assert_contains(d, "工作队列");
    free(d);
    /* discarded: the next form is empty */
    snprintf(script, sizeof script, "<F2>\n:dump %s\n", path("empty.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    d = read_file(path("empty.txt"));
    assert_null(strstr(d, "李四"));
    free(d);
}

/* A bad date is said as the cursor leaves the field (which it may: the
 * cursor is never trapped, Shift-Tab goes back to fix it); 20260315 is
 * accepted and shown as 2026-03-15. */
static void test_date_and_validation(void **st)
{
    (void)st;
    remove_drafts();
    char script[1024];
    /* fields: name, latin, id type, id no, gender, birth date */
    snprintf(script, sizeof script,
             "<F2><Tab>\n:dump %s\n<S-Tab>张三<Tab><Tab><Tab>110105194912310021<Tab>\n:dump %s\n"
             "<S-Tab><C-u>11010519491231002x<Tab><Tab>20260230<Tab>\n:dump %s\n<S-Tab><C-u>19491231<Tab>\n:dump %s\n",
             path("v0.txt"), path("v1.txt"), path("v2.txt"), path("v3.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("v0.txt"));
    assert_contains(d, "姓名"); /* empty name refused: message on the status line */
    char l[1024];
    line_of(d, 22, l, sizeof l);
    assert_cmp(strlen(l), >, 0);
    free(d);
    d = read_file(path("v1.txt"));
    line_of(d, 22, l, sizeof l);
    assert_contains(l, "校验"); /* bad check character */
    free(d);
    d = read_file(path("v2.txt"));
    assert_contains(d, "11010519491231002X"); /* normalised */
    line_of(d, 22, l, sizeof l);
    assert_contains(l, "日期");
    free(d);
    d = read_file(path("v3.txt"));
    assert_contains(d, "1949-12-31");
    free(d);
    remove_drafts();
}

static void test_help_from_table(void **st)
{
    (void)st;
    char script[512];
    snprintf(script, sizeof script, "?\n:dump %s\n<Esc><F2><F1>\n:dump %s\n", path("help1.txt"), path("help2.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("help1.txt"));
    assert_contains(d, "工作队列");
    assert_contains(d, "受理新的人才");
    assert_contains(d, "Ctrl-F");
    assert_null(strstr(d, "保存本表"));
    free(d);
    d = read_file(path("help2.txt"));
    assert_contains(d, "保存本表");
    assert_null(strstr(d, "切换到下一个工作队列"));
    free(d);
    remove_drafts();
}

static void test_resize(void **st)
{
    (void)st;
    char script[512];
    snprintf(script, sizeof script, ":resize 20 70\n:dump %s\n:resize 40 120\n:dump %s\n", path("small.txt"),
             path("big.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("small.txt"));
    assert_contains(d, "至少需要 80×24");
    free(d);
    d = read_file(path("big.txt"));
    char l[2048];
    line_of(d, 39, l, sizeof l);
    assert_contains(l, "10退出");
    free(d);
}

/* --ambiwidth 2: ambiguous characters count two columns, so the title's
 * ellipsis (…, ambiguous) is replaced and every line still fits. */
static void test_ambiwidth_2(void **st)
{
    (void)st;
    char script[512];
    snprintf(script, sizeof script, ":dump %s\n", path("amb1.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *sp = path("script.keys");
    snprintf(script, sizeof script, ":dump %s\n", path("amb2.txt"));
    write_file(sp, script);
    ui_options o = { .script = sp, .rows = 24, .cols = 80, .ambiwidth = 2 };
    td_err err;
    td_err_clear(&err);
    assert_int_equal(ui_run(g_db, &g_clerk, &o, &err), 0);
    char *d1 = read_file(path("amb1.txt")), *d2 = read_file(path("amb2.txt"));
    char l[1024];
    line_of(d1, 0, l, sizeof l);
    assert_contains(l, "…"); /* the long station name is cut */
    line_of(d2, 0, l, sizeof l);
    assert_null(strstr(l, "…"));
    for (int i = 0; i < 24; i++) {
        line_of(d2, i, l, sizeof l);
        assert_cmp(td_text_width(l), <=, 80); /* measured with ambiguous = 2 */
    }
    td_text_set_ambiwidth(1);
    free(d1);
    free(d2);
}

/* The search box finds a two-character name by itself, by its surname and
 * by its pinyin initials (pitfalls.md: 张三 by 张三, 张 and zs). */
static void test_search_pinyin(void **st)
{
    (void)st;
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "张三");
    snprintf(p.id_type, sizeof p.id_type, "resident");
    snprintf(p.id_no, sizeof p.id_no, "440524188001010014");
    td_err err;
    td_err_clear(&err);
    assert_td_ok(td_person_add(g_db, &g_clerk, &p, &err), &err);
    const char *queries[] = { "张三", "张", "zs", "zhangsan" };
    for (int i = 0; i < 4; i++) {
        char script[512];
        snprintf(script, sizeof script, "<F7>%s<Enter>\n:dump %s\n", queries[i], path("pinyin.txt"));
        assert_int_equal(run(script, 24, 80, NULL), 0);
        char *d = read_file(path("pinyin.txt"));
        if (!strstr(d, "张三"))
            fail_msg("search for %s did not show 张三:\n%s", queries[i], d);
        free(d);
    }
}

static void test_unknown_key_name_fails(void **st)
{
    (void)st;
    assert_int_not_equal(run("<NoSuchKey>\n", 24, 80, NULL), 0);
}

/* Bytes that must never reach the terminal from data: C1 controls, bidi
 * controls, zero-width/format characters, BEL, OSC. */
static const char *forbidden(const char *s, size_t n)
{
    static const char *const seq[] = {
        "\xc2\x80", "\xc2\x9b", "\xc2\x9d", "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
        "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8b",
        "\xe2\x80\x8e", "\xe2\x80\x8f", "\xef\xbb\xbf", "\x07", "\x1b]", NULL,
    };
    for (int i = 0; seq[i]; i++)
        if (memmem(s, n, seq[i], strlen(seq[i])))
            return seq[i];
    return NULL;
}

static void test_blns_name_field(void **st)
{
    (void)st;
    char blns[1024];
    td_test_corpus("blns/blns.txt", blns, sizeof blns);
    FILE *f = fopen(blns, "rb");
    if (!f)
        fail_msg("cannot open the vendored corpus %s", blns);
    char line[8192];
    int tested = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        /* the script language: '<' is written <LT>; a line starts with a key */
        static char script[40000];
        size_t o = 0;
        o += (size_t)snprintf(script + o, sizeof script - o, "<F2>");
        for (const char *p = line; *p && o < sizeof script - 16; p++) {
            if (*p == '<')
                o += (size_t)snprintf(script + o, sizeof script - o, "<LT>");
            else if (*p == '\r')
                continue;
            else
                script[o++] = *p;
        }
        o += (size_t)snprintf(script + o, sizeof script - o, "<Tab>\n:dump %s\n", path("blns.txt"));
        unlink(path("blns.txt"));
        unlink(path("term.out"));
        remove_drafts();
        int rc = run(script, 24, 80, path("term.out"));
        (void)rc; /* a script may end inside a question (a typed Esc asks); it never crashes */
        char *d = read_file(path("blns.txt"));
        char *t = read_file(path("term.out"));
        const char *bad = forbidden(d, strlen(d));
        if (bad)
            fail_msg("screen shows a raw control after typing BLNS line: %s", line);
        /* the terminal stream: ncurses writes ESC sequences of its own, but
         * nothing from the list above */
        struct stat sb;
        stat(path("term.out"), &sb);
        bad = forbidden(t, (size_t)sb.st_size);
        if (bad)
            fail_msg("terminal received a raw control after typing BLNS line: %s", line);
        free(d);
        free(t);
        tested++;
    }
    fclose(f);
    assert_cmp(tested, >, 400);
    remove_drafts();
}

/* The same strings stored as data (as an import or another program might
 * leave them) and shown in the queue: the drawing path sanitises them. */
static void test_blns_in_data(void **st)
{
    (void)st;
    char blns[1024];
    td_test_corpus("blns/blns.txt", blns, sizeof blns);
    FILE *f = fopen(blns, "rb");
    if (!f)
        fail_msg("cannot open the vendored corpus %s", blns);
    sqlite3 *h = td_db_handle(g_db);
    sqlite3_stmt *p1, *p2;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "INSERT INTO persons(id, station_id, name, id_type, id_no, created_at, "
                                        "updated_at) VALUES(?1, ?2, ?3, 'passport', ?1, '2026-03-16T00:00:00.000Z', "
                                        "'2026-03-16T00:00:00.000Z')",
                                        -1, &p1, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "INSERT INTO cases(id, case_no, person_id, station_id, case_type, state, "
                                        "intake_by, state_since, created_at, updated_at) VALUES(?1, ?1, ?2, ?3, "
                                        "'recognition', 'intake', ?4, ?5, ?5, ?5)",
                                        -1, &p2, NULL),
                     SQLITE_OK);
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char pid[40], cid[40], ts[40];
        snprintf(pid, sizeof pid, "BLNSP%05d", n);
        snprintf(cid, sizeof cid, "BLNS-%05d", n);
        snprintf(ts, sizeof ts, "2026-03-16T01:%02d:%02d.000Z", (n / 60) % 60, n % 60);
        sqlite3_bind_text(p1, 1, pid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p1, 2, g_clerk.station_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p1, 3, line, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(p1), SQLITE_DONE);
        sqlite3_reset(p1);
        sqlite3_bind_text(p2, 1, cid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p2, 2, pid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p2, 3, g_clerk.station_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p2, 4, g_clerk.user_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p2, 5, ts, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(p2), SQLITE_DONE);
        sqlite3_reset(p2);
        n++;
    }
    fclose(f);
    sqlite3_finalize(p1);
    sqlite3_finalize(p2);
    assert_cmp(n, >, 400);
    /* page through the whole queue, then open a few cases */
    static char script[8192];
    size_t o = 0;
    for (int i = 0; i < n / 18 + 2; i++)
        o += (size_t)snprintf(script + o, sizeof script - o, "<PgDn>\n");
    o += (size_t)snprintf(script + o, sizeof script - o, "<Enter><Tab><Tab><Tab><Tab><Tab><Esc>g<Enter><Esc>\n");
    unlink(path("data.out"));
    assert_int_equal(run(script, 24, 80, path("data.out")), 0);
    char *t = read_file(path("data.out"));
    struct stat sb;
    stat(path("data.out"), &sb);
    assert_cmp(sb.st_size, >, 10000);
    const char *bad = forbidden(t, (size_t)sb.st_size);
    if (bad) {
        const char *at = memmem(t, (size_t)sb.st_size, bad, strlen(bad));
        fail_msg("terminal received a raw control from stored data near: %.40s", at > t + 20 ? at - 20 : t);
    }
    free(t);
}

static long sql_count(const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(td_db_handle(g_db), sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Taking in a second person with the same name and birth date as a
 * registered one (another identity number): F2 shows the registered person
 * in a warning over the form; n goes back with everything typed kept and
 * nothing saved; y saves and leaves one open candidate for review. */
static void test_intake_duplicate_warning(void **st)
{
    (void)st;
    remove_drafts();
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "赵重复");
    snprintf(p.id_type, sizeof p.id_type, "%s", "resident");
    snprintf(p.id_no, sizeof p.id_no, "%s", "110105198506120018");
    snprintf(p.phone, sizeof p.phone, "%s", "13900139000");
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_person_add(g_db, &g_clerk, &p, &err), TD_OK);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates"), 0);
    char script[2048];
    /* name, latin, id type (pick: resident), id no, gender, birth date,
     * nationality, mobile, then 7 fields on to the first service (pick) */
    snprintf(script, sizeof script,
             "<F2>赵重复<Tab><Tab><Enter><Enter>110105198506120034<Tab><Tab><Tab><Tab>13700137000"
             "<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Enter><Enter>\n"
             ":dump %s\n<F2>\n:dump %s\nn\n:dump %s\n:quit\n",
             path("dup0.txt"), path("dup1.txt"), path("dup2.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("dup0.txt"));
    assert_null(strstr(d, "疑似重复"));
    free(d);
    d = read_file(path("dup1.txt"));
    assert_contains(d, "疑似重复");           /* the warning */
    assert_contains(d, "110***********0018"); /* the registered person, masked */
    assert_contains(d, "1985-06-12");
    assert_contains(d, "13900139000");
    assert_contains(d, "姓名和出生日期相同"); /* the kind */
    assert_contains(d, "仍要保存此人员吗");   /* the question */
    free(d);
    /* n: back to the form, everything typed still there, nothing saved */
    d = read_file(path("dup2.txt"));
    assert_null(strstr(d, "110***********0018"));
    assert_contains(d, "受理登记");
    assert_contains(d, "赵重复");
    assert_contains(d, "110105198506120034");
    assert_contains(d, "13700137000");
    assert_contains(d, "未保存");
    free(d);
    assert_int_equal(sql_count("SELECT count(*) FROM persons WHERE name = '赵重复'"), 1);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates"), 0);
    /* the draft brought the form back: F2 warns again, y saves anyway */
    snprintf(script, sizeof script, "<F2>\n:assert 110105198506120034\n<F2>\n:dump %s\ny\n:dump %s\n",
             path("dup3.txt"), path("dup4.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    d = read_file(path("dup3.txt"));
    assert_contains(d, "110***********0018");
    free(d);
    d = read_file(path("dup4.txt"));
    assert_contains(d, "已受理");
    assert_contains(d, "疑似重复");
    free(d);
    assert_int_equal(sql_count("SELECT count(*) FROM persons WHERE name = '赵重复' AND deleted_at IS NULL"), 2);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates d JOIN persons a ON a.id = d.person_a "
                               "JOIN persons b ON b.id = d.person_b WHERE d.status = 'open' AND d.source = "
                               "'intake' AND d.kind = 'name_birth' AND a.name = '赵重复' AND b.name = '赵重复'"),
                     1);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates"), 1);
}

/* The same with name and mobile (passports, no birth date): the warning
 * names that kind, and confirming records a name_phone candidate. */
static void test_intake_duplicate_mobile(void **st)
{
    (void)st;
    remove_drafts();
    td_person p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "%s", "钱同号");
    snprintf(p.id_type, sizeof p.id_type, "%s", "passport");
    snprintf(p.id_no, sizeof p.id_no, "%s", "E12345678");
    snprintf(p.nationality, sizeof p.nationality, "%s", "USA");
    snprintf(p.phone, sizeof p.phone, "%s", "13600136000");
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_person_add(g_db, &g_clerk, &p, &err), TD_OK);
    long before = sql_count("SELECT count(*) FROM dupe_candidates");
    char script[2048];
    snprintf(script, sizeof script,
             "<F2>钱同号<Tab><Tab><Enter>护<Enter>E87654321<Tab><Tab><Tab><C-u>USA<Tab>13600136000"
             "<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Enter><Enter>\n"
             "<F2>\n:dump %s\n<Esc>\n:assert E87654321\n<F2>y\n:dump %s\n",
             path("mob1.txt"), path("mob2.txt"));
    assert_int_equal(run(script, 24, 80, NULL), 0);
    char *d = read_file(path("mob1.txt"));
    assert_contains(d, "疑似重复");
    assert_contains(d, "姓名和手机号码相同");
    assert_contains(d, "E1*****78"); /* the registered passport, masked */
    free(d);
    d = read_file(path("mob2.txt"));
    assert_contains(d, "已受理");
    free(d);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates") - before, 1);
    assert_int_equal(sql_count("SELECT count(*) FROM dupe_candidates d JOIN persons a ON a.id = d.person_a "
                               "WHERE d.status = 'open' AND d.kind = 'name_phone' AND a.name = '钱同号'"),
                     1);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_screen),         cmocka_unit_test(test_intake_field_editor),
        cmocka_unit_test(test_draft_survives),      cmocka_unit_test(test_date_and_validation),
        cmocka_unit_test(test_help_from_table),     cmocka_unit_test(test_resize),
        cmocka_unit_test(test_unknown_key_name_fails), cmocka_unit_test(test_ambiwidth_2),
        cmocka_unit_test(test_search_pinyin), cmocka_unit_test(test_blns_name_field),
        cmocka_unit_test(test_blns_in_data), cmocka_unit_test(test_intake_duplicate_warning),
        cmocka_unit_test(test_intake_duplicate_mobile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
