/* bench_busy.c — a clerk's write (td_person_add, its own transaction) while
 * another process imports a large CSV into the same database file, against
 * the same write on the idle database, in the same run: p50/p99 latency and
 * the ratio of the p99s, and the busy errors the clerk would have seen
 * (goal: 0).   Usage: bench_busy SCALE [DIR]  (imports SCALE rows) */
#include "bench_util.h"

#include "io/encode.h"
#include "io/import.h"
#include "people/person.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRITES 200

static void die(const char *what, const td_err *err)
{
    fprintf(stderr, "%s: %s\n", what, err->msg);
    exit(1);
}

/* WRITES person adds, one every 2 ms; latencies in ms into lat, busy errors counted. */
static int clerk_writes(const char *path, uint64_t base, double *lat, int *busy)
{
    td_db *db;
    td_err err;
    td_err_clear(&err);
    if (td_db_open_ex(path, TD_DB_EXISTING, &db, &err) != TD_OK)
        die("open", &err);
    td_actor clerk;
    if (td_actor_load(db, "clerk2", &clerk, &err) != TD_OK)
        die("actor", &err);
    int n = 0;
    *busy = 0;
    for (int i = 0; i < WRITES; i++) {
        bench_person bp;
        bench_make_person(base + (uint64_t)i, &bp);
        td_person p;
        memset(&p, 0, sizeof p);
        snprintf(p.name, sizeof p.name, "%s", bp.name);
        snprintf(p.id_type, sizeof p.id_type, "resident");
        snprintf(p.id_no, sizeof p.id_no, "%s", bp.id_no);
        double t0 = bench_now();
        td_status s = td_person_add(db, &clerk, &p, &err);
        lat[n++] = (bench_now() - t0) * 1000.0;
        if (s == TD_EDB)
            (*busy)++;
        else if (s != TD_OK && s != TD_ECONFLICT)
            die("person add", &err);
        usleep(2000);
    }
    td_db_close(db);
    return n;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 20000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n < 1000)
        n = 1000;
    bench_init();
    td_err err;
    td_err_clear(&err);
    char csv[4096], dbp[4096], rej[4096];
    snprintf(csv, sizeof csv, "%s/td-bench-busy-%ld.csv", dir, n);
    snprintf(dbp, sizeof dbp, "%s/td-bench-busy.db", dir);
    snprintf(rej, sizeof rej, "%s.rejects.csv", csv);
    FILE *f = fopen(csv, "wb");
    td_encoder *enc;
    if (!f || td_encoder_open(f, TD_ENC_UTF8, &enc, &err) != TD_OK)
        die("csv", &err);
    const char *hdr = "姓名,证件类型,证件号码,性别,出生日期,手机号码\r\n";
    td_encoder_write(enc, hdr, strlen(hdr), &err);
    for (long i = 0; i < n; i++) {
        bench_person bp;
        bench_make_person((uint64_t)i, &bp);
        char line[512];
        int l = snprintf(line, sizeof line, "%s,居民身份证,%s,%s,%s,%s\r\n", bp.name, bp.id_no,
                         bp.gender[0] == 'M' ? "男" : "女", bp.birth, bp.phone);
        td_encoder_write(enc, line, (size_t)l, &err);
    }
    td_encoder_close(enc, &err);
    fclose(f);
    td_db *db = bench_open(dbp, true);
    td_db_close(db);

    double idle[WRITES], load[WRITES];
    int busy_idle = 0, busy_load = 0;
    int ni = clerk_writes(dbp, 5000000, idle, &busy_idle);

    pid_t pid = fork();
    if (pid == 0) {
        td_db *idb;
        td_err e;
        td_err_clear(&e);
        if (td_db_open_ex(dbp, TD_DB_EXISTING, &idb, &e) != TD_OK)
            _exit(1);
        td_actor clerk;
        if (td_actor_load(idb, "clerk1", &clerk, &e) != TD_OK)
            _exit(1);
        td_import_opts o = { .encoding = TD_ENC_UNKNOWN, .reject_path = rej };
        td_import_report rep;
        for (;;) { /* keep importing (a second pass skips) until stopped */
            if (td_import_persons(idb, &clerk, csv, &o, &rep, &e) != TD_OK)
                _exit(2);
        }
    }
    usleep(300000); /* the import is under way */
    int nl = clerk_writes(dbp, 6000000, load, &busy_load);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);

    double i50 = bench_pct(idle, ni, 50), i99 = bench_pct(idle, ni, 99);
    double l50 = bench_pct(load, nl, 50), l99 = bench_pct(load, nl, 99);
    printf("clerk write (person add) beside an import of %ld rows, %d writes each\n", n, WRITES);
    printf("  %-40s p50 %7.2f ms  p99 %7.2f ms  busy errors %d\n", "baseline: idle database", i50, i99, busy_idle);
    printf("  %-40s p50 %7.2f ms  p99 %7.2f ms  busy errors %d  p99 ratio %.1f\n", "while an import runs", l50, l99,
           busy_load, i99 > 0 ? l99 / i99 : 0.0);
    remove(csv);
    remove(rej);
    remove(dbp);
    char x[4200];
    snprintf(x, sizeof x, "%s-wal", dbp);
    remove(x);
    snprintf(x, sizeof x, "%s-shm", dbp);
    remove(x);
    return busy_load + busy_idle > 0;
}
