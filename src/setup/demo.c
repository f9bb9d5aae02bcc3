/* demo.c — see demo.h. */
#include "demo.h"
#include "base/actor.h"
#include "auth/account.h"
#include "auth/password.h"
#include "base/audit.h"
#include "cases/case.h"
#include "base/i18n.h"
#include "people/idcheck.h"
#include "people/person.h"
#include "policy/refdata.h"
#include "base/timeutil.h"
#include "recognition/facts.h"
#include "recognition/score.h"
#include "workflow/workflow.h"
#include "workflow/intake.h"

#include <stdio.h>
#include <string.h>

uint32_t td_rng_next(td_rng *r)
{
    /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t pick(td_rng *r, uint32_t n) { return td_rng_next(r) % n; }

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
    "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "司马", "诸葛", "上官",
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "文", "辉", "玲", "鑫", "宇",
    "浩", "凯", "晨", "欣", "怡", "佳", "子", "梓", "涵", "轩", "博", "思", "雨", "嘉", "晓",
    "雪", "琳", "婷", "昊", "然", "睿", "泽", "瑞", "晗", "铭", "诗", "悦", "岚", "彬", "渝",
};
/* Chongqing district codes (GB/T 2260). */
static const char *const areas[] = { "500101", "500102", "500103", "500104", "500105", "500106",
                                     "500107", "500108", "500109", "500110", "500112", "500113",
                                     "500115", "500117", "500118", "500120", "500151", "500152" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

void td_demo_name(td_rng *r, char *out, size_t len)
{
    const char *s = surnames[pick(r, N(surnames))];
    if (pick(r, 3) == 0)
        snprintf(out, len, "%s%s", s, given[pick(r, N(given))]);
    else
        snprintf(out, len, "%s%s%s", s, given[pick(r, N(given))], given[pick(r, N(given))]);
}

void td_demo_resident_id(td_rng *r, char out[19])
{
    int y = 1960 + (int)pick(r, 44), m = 1 + (int)pick(r, 12), d = 1 + (int)pick(r, 28);
    char first17[18];
    snprintf(first17, sizeof first17, "%s%04d%02d%02d%03u", areas[pick(r, N(areas))], y, m, d,
             pick(r, 999) + 1);
    memcpy(out, first17, 17);
    out[17] = td_id_check_char(first17);
    out[18] = '\0';
}

void td_demo_mobile(td_rng *r, char out[12])
{
    static const char *const pfx[] = { "138", "139", "136", "150", "151", "158", "177", "186", "187", "199" };
    snprintf(out, 12, "%s%08u", pfx[pick(r, N(pfx))], pick(r, 100000000));
}

static const struct {
    const char *user, *name, *roles, *dept, *station;
} demo_users[] = {
    { "clerk1", "王芳", "clerk", NULL, NULL },
    { "clerk2", "李强", "clerk", NULL, NULL },
    { "reviewer1", "赵敏", "reviewer", NULL, NULL },
    { "approver1", "陈静", "approver", NULL, NULL },
    { "approver2", "刘洋", "approver", NULL, NULL },
    { "signer_rsj", "孙磊", "signer", "rsj", NULL },
    { "signer_kjj", "周婷", "signer", "kjj", NULL },
    { "spec1", "吴昊", "specialist", NULL, NULL },
    { "station1", "郑丽", "station", NULL, "LDN" },
};

td_status td_demo_users(td_db *db, td_err *err)
{
    /* One hash for all, made once per process, before the transaction. */
    static char hash[TD_PW_HASH_LEN];
    td_status s;
    if (!hash[0] && (s = td_pw_hash(TD_DEMO_PASSWORD, hash, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    char id[TD_UUID_LEN];
    s = td_station_add(db, NULL, "LDN", "伦敦海外人才服务站", "overseas", id, err);
    for (size_t i = 0; s == TD_OK && i < N(demo_users); i++) {
        unsigned roles;
        if (!td_roles_parse(demo_users[i].roles, &roles, err)) {
            s = TD_EINVALID;
            break;
        }
        s = td_user_add(db, NULL, demo_users[i].user, demo_users[i].name, demo_users[i].station,
                        demo_users[i].dept, roles, NULL, err);
        if (s == TD_OK)
            s = td_auth_set_password_hash(db, demo_users[i].user, hash, false, err);
    }
    if (s == TD_OK)
        s = td_auth_set_password_hash(db, "admin", hash, false, err);
    if (s) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

typedef struct {
    char ids[64][48];
    int n;
} idlist;

static int collect_service(const td_service *s, void *ud)
{
    idlist *l = ud;
    if (l->n < 64)
        snprintf(l->ids[l->n++], sizeof l->ids[0], "%s", s->id);
    return 0;
}

/* Demo states, in the order a case passes them; later states are given to
 * fewer cases, as in a real counter's queue. */
static const char *const demo_states[] = { "intake", "doc_check", "awaiting_docs", "recognition",
                                           "approval", "fulfilment", "closed", "rejected",
                                           "withdrawn", "suspended" };

/* Records verified facts for the person (degree, title, salary, birth date)
 * and saves a score snapshot for the case under the default rule set. */
static td_status demo_score(td_db *db, const td_actor *reviewer, const td_person *p, const char *case_id,
                            td_rng *r, td_err *err)
{
    static const char *const degrees[] = { "degree=doctorate@2014-07-01", "degree=master@2012-07-01",
                                           "degree=bachelor@2010-07-01" };
    char salary[64];
    snprintf(salary, sizeof salary, "annual_salary=%u@2025-01-01", 150000 + pick(r, 60) * 10000);
    char birth[64] = "";
    if (p->birth_date[0])
        snprintf(birth, sizeof birth, "birth_date=%s", p->birth_date);
    const char *kvs[] = { degrees[pick(r, 3)], salary, "returnee=yes", "professional_title=vice_senior",
                          birth[0] ? birth : NULL };
    for (size_t i = 0; i < sizeof kvs / sizeof kvs[0]; i++) {
        if (!kvs[i])
            continue;
        td_fact f;
        td_status s = td_fact_parse_kv(kvs[i], true, &f, err);
        if (s)
            return s;
        snprintf(f.person_id, sizeof f.person_id, "%s", p->id);
        snprintf(f.evidence, sizeof f.evidence, "%s", _("demo documents"));
        if ((s = td_fact_add(db, reviewer, &f, err)))
            return s;
    }
    td_score_case_args a = { .case_key = case_id, .save = true };
    td_score_result res;
    memset(&res, 0, sizeof res);
    td_status s = td_score_case(db, reviewer, &a, &res, NULL, err);
    td_score_result_free(&res);
    if (s == TD_EINVALID) { /* the default set is not in force on a pinned date */
        a.rule_set_id = "cn-work-permit-2017";
        memset(&res, 0, sizeof res);
        s = td_score_case(db, reviewer, &a, &res, NULL, err);
        td_score_result_free(&res);
    }
    return s;
}

td_status td_demo_populate(td_db *db, int n, uint32_t seed, td_err *err)
{
    td_rng r = { 0x9E3779B97F4A7C15ULL ^ seed };
    td_actor clerks[2], station, reviewer, approver, spec;
    td_status s;
    if ((s = td_actor_load(db, "clerk1", &clerks[0], err)) ||
        (s = td_actor_load(db, "clerk2", &clerks[1], err)) ||
        (s = td_actor_load(db, "station1", &station, err)) ||
        (s = td_actor_load(db, "reviewer1", &reviewer, err)) ||
        (s = td_actor_load(db, "approver1", &approver, err)) ||
        (s = td_actor_load(db, "spec1", &spec, err)))
        return s;
    idlist svc = { .n = 0 };
    if ((s = td_service_each(db, collect_service, &svc, err)))
        return s;
    if (svc.n == 0)
        return td_err_set(err, TD_ENOTFOUND, "%s", _("No services are loaded (run: talentdesk init)"));
    char cats[16][32];
    int ncat = 0;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT id FROM talent_categories WHERE deleted_at IS NULL "
                                         "ORDER BY sort, id", err);
    if (!st)
        return TD_EDB;
    while (ncat < 16 && sqlite3_step(st) == SQLITE_ROW)
        td_col_copy(st, 0, cats[ncat++], sizeof cats[0]);
    sqlite3_reset(st);

    static const char *const employers[] = { "重庆大学", "西部（重庆）科学城某集成电路公司", "重庆邮电大学",
                                             "中国科学院重庆绿色智能技术研究院", "重庆某新能源汽车公司",
                                             "北京大学重庆大数据研究院", "重庆医科大学附属第一医院" };
    static const char *const fields[] = { "新一代人工智能及大数据", "集成电路", "量子信息", "基因与生物技术",
                                          "临床医学与健康", "高端新材料", "新能源汽车与智能（网联）汽车",
                                          "智能制造与机器人技术" };
    static const char *const foreign[][3] = { { "John Smith", "USA", "P12345678" },
                                              { "Anna Müller", "DEU", "C01X00T47" },
                                              { "Tanaka Hiroshi", "JPN", "TK1234567" },
                                              { "Marie Dubois", "FRA", "18AV12345" } };
    for (int i = 0; i < n; i++) {
        td_person p;
        memset(&p, 0, sizeof p);
        int kind = (int)pick(&r, 10);
        if (kind == 0) { /* a foreign talent with a passport */
            int f = (int)pick(&r, N(foreign));
            snprintf(p.name, sizeof p.name, "%s", foreign[f][0]);
            snprintf(p.name_latin, sizeof p.name_latin, "%s", foreign[f][0]);
            snprintf(p.nationality, sizeof p.nationality, "%s", foreign[f][1]);
            snprintf(p.id_type, sizeof p.id_type, "passport");
            snprintf(p.id_no, sizeof p.id_no, "%s%d", foreign[f][2], i % 10);
            p.id_no[9] = '\0';
            snprintf(p.birth_date, sizeof p.birth_date, "19%02u-%02u-%02u", 60 + pick(&r, 35),
                     1 + pick(&r, 12), 1 + pick(&r, 28));
            snprintf(p.gender, sizeof p.gender, "%s", pick(&r, 2) ? "M" : "F");
        } else if (kind == 1) { /* Hong Kong / Macau: 港澳居民来往内地通行证 */
            td_demo_name(&r, p.name, sizeof p.name);
            snprintf(p.nationality, sizeof p.nationality, "%s", pick(&r, 2) ? "HKG" : "MAC");
            snprintf(p.id_type, sizeof p.id_type, "hkmo_pass");
            snprintf(p.id_no, sizeof p.id_no, "%c%08u", p.nationality[0] == 'H' ? 'H' : 'M',
                     pick(&r, 100000000));
        } else {
            td_demo_name(&r, p.name, sizeof p.name);
            snprintf(p.id_type, sizeof p.id_type, "resident");
            td_demo_resident_id(&r, p.id_no);
        }
        td_demo_mobile(&r, p.phone);
        if (ncat)
            snprintf(p.category_id, sizeof p.category_id, "%s",
                     kind == 0 ? cats[ncat > 3 ? 3 : ncat - 1] : cats[pick(&r, (uint32_t)ncat)]);
        snprintf(p.employer, sizeof p.employer, "%s", employers[pick(&r, N(employers))]);
        snprintf(p.field, sizeof p.field, "%s", fields[pick(&r, N(fields))]);
        const td_actor *by = i % 7 == 6 ? &station : &clerks[i % 2];
        s = td_person_add(db, by, &p, err);
        if (s == TD_ECONFLICT) /* a random duplicate number: skip it */
            continue;
        if (s)
            return s;

        td_case_new_args a;
        memset(&a, 0, sizeof a);
        a.person_id = p.id;
        a.case_type = pick(&r, 4) ? "recognition" : "service";
        int k = 1 + (int)pick(&r, 3);
        for (int j = 0; j < k; j++)
            a.services[j] = svc.ids[pick(&r, (uint32_t)svc.n)];
        a.specialist = pick(&r, 2) ? "spec1" : NULL;
        td_case c;
        if ((s = td_case_new(db, by, &a, &c, err)))
            return s;
        /* Spread over the states: earlier states are more common.  Every
         * case gets there through the workflow engine, as real users would. */
        uint32_t roll = pick(&r, 100);
        int si = roll < 20 ? 0 : roll < 35 ? 1 : roll < 45 ? 2 : roll < 55 ? 3 : roll < 65 ? 4
               : roll < 80 ? 5 : roll < 90 ? 6 : roll < 94 ? 7 : roll < 97 ? 8 : 9;
        if (si == 0)
            continue;
        if (si == 3 && strcmp(a.case_type, "service") == 0)
            si = 4; /* service applications have no recognition step */
        if (strcmp(a.case_type, "recognition") == 0 && si >= 4 && si <= 6 &&
            (s = demo_score(db, &reviewer, &p, c.id, &r, err)))
            return s;
        if ((s = td_wf_demo_advance(db, c.id, demo_states[si], by, &reviewer, &approver, &spec, err)))
            return s;
    }
    return TD_OK;
}
