/* bench_util.h — shared by bench/bench_*.c: a clock, percentiles, a
 * deterministic realistic population (Chinese names, valid GB 11643 identity
 * numbers, mobiles, cases in every state) and database set-up.
 * Each benchmark prints its figures beside a baseline measured in the same
 * run, as a ratio.  Usage of every program: bench_x SCALE [DIR]. */
#ifndef TD_BENCH_UTIL_H
#define TD_BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/actor.h"
#include "base/db.h"
#include "setup/demo.h"
#include "base/i18n.h"
#include "setup/policy_load.h"
#include "setup/setup.h"
#include "base/uuid.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v and returns the p-th percentile (0..100). */
static inline double bench_pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    int i = (int)(p / 100.0 * (n - 1) + 0.5);
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* Sets out to the milliseconds of the fastest of 3 back-to-back runs of the
 * same block: on a machine shared with other builds the scheduler preempts a
 * process for whole time slices, which would otherwise decide every p99; an
 * input that is slow stays slow in all three runs.  Baselines are measured
 * the same way, so ratios compare like with like. */
#define BENCH_TIMED(out, block)                                                                    \
    do {                                                                                           \
        double best_ = 1e9;                                                                        \
        for (int rep_ = 0; rep_ < 3; rep_++) {                                                     \
            double a_ = bench_now();                                                               \
            block;                                                                                 \
            double t_ = (bench_now() - a_) * 1e3;                                                  \
            if (t_ < best_)                                                                        \
                best_ = t_;                                                                        \
        }                                                                                          \
        (out) = best_;                                                                             \
    } while (0)

static inline uint64_t bench_rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *const bench_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
    "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
    "欧阳", "诸葛", "司马", "上官", "单", "解", "仇", "曾", "𠮷",
};
static const char *const bench_given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
    "霞", "平", "刚", "桂", "英", "华", "文", "玉", "兰", "辉", "鹏", "飞", "斌", "宇", "浩", "凯", "健", "俊",
    "帆", "帅", "旭", "宁", "龙", "林", "欣", "佳", "颖", "琳", "晨", "雪", "思", "婷", "倩", "博", "瑞", "泽",
    "子", "涵", "梓", "萱", "睿", "诗", "雨", "嘉", "怡", "一", "诺", "依", "晓", "建", "国", "志", "海", "峰",
    "春", "红", "梅", "云", "鑫", "昊", "然", "轩", "宸", "铭", "昕", "悦", "婧", "璐", "珂", "琦", "瑶", "䶮",
};
static const char *const bench_areas[] = {
    "500101", "500102", "500103", "500104", "500105", "500106", "500107", "500108", "500109", "500110",
    "500111", "500112", "500113", "500114", "500115", "500116", "500117", "500118", "500119", "500120",
    "500151", "500152", "500153", "500154", "500155", "500156", "110101", "110105", "110108", "310101",
    "310104", "310115", "440103", "440305", "440306", "510104", "510107", "420102", "330106", "320102",
};
#define BENCH_NSUR (sizeof bench_surnames / sizeof bench_surnames[0])
#define BENCH_NGIV (sizeof bench_given / sizeof bench_given[0])
#define BENCH_NAREA (sizeof bench_areas / sizeof bench_areas[0])

static const char *const bench_states[] = { "intake",   "doc_check",  "awaiting_docs", "recognition",
                                            "approval", "joint_review", "fulfilment",  "closed",
                                            "rejected", "withdrawn",  "suspended" };
#define BENCH_NSTATES 11

/* GB 11643 check character of the first 17 digits. */
static inline char bench_check_char(const char *d17)
{
    static const int W[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (d17[i] - '0') * W[i];
    return "10X98765432"[s % 11];
}

typedef struct bench_person {
    char name[32];
    char id_no[19];
    char gender[2];
    char birth[11];
    char phone[12];
} bench_person;

/* Person number i (0 ≤ i < 40·16000·500): a name drawn from the common
 * surnames and given-name characters (about 30 % two-character names), and an
 * identity number unique by construction: area i mod 40, birth day
 * (i / 40) mod 16000 after 1955-01-01, sequence from the rest and the gender. */
static inline void bench_make_person(uint64_t i, bench_person *p)
{
    uint64_t s = i * 0x9E3779B97F4A7C15ull + 12345;
    bench_rng(&s);
    const char *sur = bench_surnames[bench_rng(&s) % BENCH_NSUR];
    int given = (bench_rng(&s) % 10) < 3 ? 1 : 2;
    snprintf(p->name, sizeof p->name, "%s%s%s", sur, bench_given[bench_rng(&s) % BENCH_NGIV],
             given == 2 ? bench_given[bench_rng(&s) % BENCH_NGIV] : "");
    uint64_t area = i % BENCH_NAREA, day = (i / BENCH_NAREA) % 16000, rest = i / (BENCH_NAREA * 16000);
    int male = (int)(bench_rng(&s) & 1);
    /* days → date (proleptic Gregorian from 1955-01-01) */
    int y = 1955, m = 1, d = 1;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    long left = (long)day;
    for (;;) {
        int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
        int yd = 365 + leap;
        if (left >= yd) {
            left -= yd;
            y++;
            continue;
        }
        for (m = 1; m <= 12; m++) {
            int md = mdays[m - 1] + (m == 2 && leap);
            if (left < md)
                break;
            left -= md;
        }
        d = (int)left + 1;
        break;
    }
    int seq = (int)(rest * 2 + (male ? 1 : 0)) % 1000;
    char d17[18];
    snprintf(d17, sizeof d17, "%s%04d%02d%02d%03d", bench_areas[area], y, m, d, seq);
    snprintf(p->id_no, sizeof p->id_no, "%s%c", d17, bench_check_char(d17));
    snprintf(p->gender, sizeof p->gender, "%s", male ? "M" : "F");
    snprintf(p->birth, sizeof p->birth, "%04d-%02d-%02d", y, m, d);
    static const char *const pre[] = { "130", "135", "138", "139", "150", "158", "177", "181", "186", "199" };
    snprintf(p->phone, sizeof p->phone, "%s%08llu", pre[i % 10], (unsigned long long)((i * 7919u + 17) % 100000000u));
}

/* Opens (creating) a file database with reference data, the local station
 * CQ and the demo users.  Exits on failure. */
static inline td_db *bench_open(const char *path, bool with_users)
{
    remove(path);
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    remove(wal);
    td_db *db;
    td_err err;
    td_err_clear(&err);
    if (td_db_open(path, &db, &err) != TD_OK) {
        fprintf(stderr, "open %s: %s\n", path, err.msg);
        exit(1);
    }
    if (with_users) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/data", TD_SOURCE_DIR);
        if (td_policy_load_all(db, dir, NULL, &err) != TD_OK ||
            td_setup_local_station(db, "CQ", "重庆市人才服务窗口", "hq", &err) != TD_OK ||
            td_demo_users(db, &err) != TD_OK) {
            fprintf(stderr, "setup: %s\n", err.msg);
            exit(1);
        }
    }
    return db;
}

static inline void bench_init(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* figures appear as they are measured */
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", TD_BUILD_DIR);
    td_i18n_init("zh_CN", loc);
    setenv("TZ", "UTC", 1);
    if (td_crypto_init() != 0) {
        fprintf(stderr, "libsodium init failed\n");
        exit(1);
    }
}

#endif
