/* bench_import.c — import rate of a GB18030 Excel-style CSV through
 * td_import_persons (decode, RFC 4180, validation, duplicate checks, insert,
 * audit row) versus a raw prepared-statement INSERT of the same rows into
 * the same schema, committing every 1,000 rows as the importer does, and in
 * one transaction (the limit), both in the same run.  The three are run in
 * alternation, ROUNDS times (fewer above 50,000 rows), and each figure is the
 * fastest of its rounds, so that a burst of load on the shared machine does
 * not decide a ratio (BENCH_ROUNDS=N sets the number); process CPU time is
 * printed beside the wall time.
 * Goal: ratio ≥ 0.5.   Usage: bench_import SCALE [DIR] */
#include "bench_util.h"

#include "io/encode.h"
#include "io/import.h"
#include "base/timeutil.h"

#define BATCH 1000
#define ROUNDS 3

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the fastest of the rounds so far: wall and CPU seconds */
typedef struct best {
    double wall, cpu;
} best;

static void keep_best(best *b, double wall, double cpu)
{
    if (b->wall == 0 || wall < b->wall)
        b->wall = wall;
    if (b->cpu == 0 || cpu < b->cpu)
        b->cpu = cpu;
}

static void die(const char *what, const td_err *err)
{
    fprintf(stderr, "%s: %s\n", what, err->msg);
    exit(1);
}

/* Inserts the rows with a raw prepared statement, committing every `batch`
 * rows; keeps the seconds taken (wall and CPU) in b when they are its best. */
static void raw_insert(const char *path, const bench_person *ps, long n, long batch, best *b)
{
    td_err err;
    td_err_clear(&err);
    td_db *db = bench_open(path, true);
    td_actor clerk;
    if (td_actor_load(db, "clerk1", &clerk, &err) != TD_OK)
        die("actor", &err);
    sqlite3 *h = td_db_handle(db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h,
                       "INSERT INTO persons(id, station_id, name, name_latin, gender, birth_date, nationality, "
                       "id_type, id_no, phone, email, category_id, employer, field, notes, created_by, created_at, "
                       "updated_at) VALUES(?,?,?,'',?,?,'CHN','resident',?,?,'',NULL,'重庆大学','新材料','',?,?,?)",
                       -1, &st, NULL);
    double t0 = bench_now(), c0 = cpu_now();
    for (long i = 0; i < n; i++) {
        if (i % batch == 0 && td_db_begin(db, &err) != TD_OK)
            die("begin", &err);
        char id[TD_UUID_LEN], now[TD_TS_LEN];
        td_uuid7(id);
        td_now_utc(now);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, clerk.station_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, ps[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ps[i].gender, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, ps[i].birth, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ps[i].id_no, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, ps[i].phone, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, clerk.user_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 10, now, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "raw insert %ld: %s\n", i, sqlite3_errmsg(h));
            exit(1);
        }
        sqlite3_reset(st);
        if ((i + 1) % batch == 0 || i + 1 == n)
            if (td_db_commit(db, &err) != TD_OK)
                die("commit", &err);
    }
    keep_best(b, bench_now() - t0, cpu_now() - c0);
    sqlite3_finalize(st);
    td_db_close(db);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n < 100)
        n = 100;
    bench_init();
    td_err err;
    td_err_clear(&err);
    char csv[4096], rawdb[4096], impdb[4096], rej[4096];
    snprintf(csv, sizeof csv, "%s/td-bench-persons-%ld.csv", dir, n);
    snprintf(rawdb, sizeof rawdb, "%s/td-bench-raw.db", dir);
    snprintf(impdb, sizeof impdb, "%s/td-bench-import.db", dir);
    snprintf(rej, sizeof rej, "%s.rejects.csv", csv);

    /* the population, and its GB18030 CSV as Chinese Excel saves it */
    bench_person *ps = malloc(sizeof *ps * (size_t)n);
    if (!ps)
        return 1;
    FILE *f = fopen(csv, "wb");
    td_encoder *enc;
    if (!f || td_encoder_open(f, TD_ENC_GB18030, &enc, &err) != TD_OK)
        die("csv", &err);
    const char *hdr = "姓名,证件类型,证件号码,性别,出生日期,国籍,手机号码,邮箱,人才类别,工作单位,领域,备注\r\n";
    td_encoder_write(enc, hdr, strlen(hdr), &err);
    for (long i = 0; i < n; i++) {
        bench_make_person((uint64_t)i, &ps[i]);
        char line[512];
        int l = snprintf(line, sizeof line, "%s,居民身份证,%s,%s,%s,CHN,%s,,,重庆大学,新材料,\r\n", ps[i].name,
                         ps[i].id_no, ps[i].gender[0] == 'M' ? "男" : "女", ps[i].birth, ps[i].phone);
        if (td_encoder_write(enc, line, (size_t)l, &err) != TD_OK)
            die("csv", &err);
    }
    if (td_encoder_close(enc, &err) != TD_OK)
        die("csv", &err);
    fclose(f);

    /* baselines: raw prepared INSERT of the same rows, committing every
     * BATCH rows (as the importer does) and in one transaction (the limit);
     * then the importer, from the GB18030 file; in alternation */
    td_actor clerk;
    best b_raw = { 0, 0 }, b_raw1 = { 0, 0 }, b_imp = { 0, 0 };
    td_import_report rep;
    int rounds = n > 50000 ? 1 : ROUNDS;
    if (getenv("BENCH_ROUNDS") && atoi(getenv("BENCH_ROUNDS")) > 0) /* e.g. 1 under valgrind */
        rounds = atoi(getenv("BENCH_ROUNDS"));
    for (int round = 0; round < rounds; round++) {
        raw_insert(rawdb, ps, n, BATCH, &b_raw);
        raw_insert(rawdb, ps, n, n, &b_raw1);
        td_db *db = bench_open(impdb, true);
        if (td_actor_load(db, "clerk1", &clerk, &err) != TD_OK)
            die("actor", &err);
        td_import_opts o = { .encoding = TD_ENC_UNKNOWN, .batch = BATCH, .reject_path = rej };
        double t0 = bench_now(), c0 = cpu_now();
        if (td_import_persons(db, &clerk, csv, &o, &rep, &err) != TD_OK)
            die("import", &err);
        keep_best(&b_imp, bench_now() - t0, cpu_now() - c0);
        td_db_close(db);
    }
    double raw = b_raw.wall, raw1 = b_raw1.wall, imp = b_imp.wall;
    double raw_rate = (double)n / raw, raw1_rate = (double)n / raw1, imp_rate = (double)rep.added / imp;
    printf("import persons, %ld rows, GB18030 CSV (detected %s), batches of %d, synchronous=FULL, "
           "fastest of %d rounds in alternation\n", n, td_enc_name(rep.encoding), BATCH, rounds);
    printf("  %-44s %10.0f rows/s  (%.2f s)\n", "baseline 1: raw INSERT, commit every 1,000", raw_rate, raw);
    printf("  %-44s %10.0f rows/s  (%.2f s)\n", "baseline 2: raw INSERT, one transaction", raw1_rate, raw1);
    printf("  %-44s %10.0f rows/s  (%.2f s)  ratio %.2f to baseline 1 (goal >= 0.50)  %s;  ratio %.2f to "
           "baseline 2\n",
           "td_import_persons (decode+CSV+validate+dedupe+audit)", imp_rate, imp, imp_rate / raw_rate,
           imp_rate / raw_rate >= 0.5 ? "ok" : "BELOW GOAL", imp_rate / raw1_rate);
    printf("  CPU time: baseline 1 %.2f s, baseline 2 %.2f s, import %.2f s: CPU ratio %.2f to baseline 1, %.2f "
           "to baseline 2\n", b_raw.cpu, b_raw1.cpu, b_imp.cpu, b_raw.cpu / b_imp.cpu, b_raw1.cpu / b_imp.cpu);
    printf("  added %ld, skipped %ld, rejected %ld, probable duplicates %ld\n", rep.added, rep.skipped, rep.rejected,
           rep.probable);
    int bad = rep.added != n; /* every generated row is valid and unique */
    int missed = imp_rate / raw_rate < 0.5; /* make bench names the programs that missed their goal */
    remove(csv);
    remove(rej);
    remove(rawdb);
    remove(impdb);
    free(ps);
    if (bad)
        fprintf(stderr, "bench_import: expected %ld rows added, got %ld\n", n, rep.added);
    return bad || missed;
}
