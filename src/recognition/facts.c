/* facts.c — the fact registry, value validation, derived inputs and the
 * facts table.  See facts.h. */
#include "facts.h"
#include "auth/access.h"
#include "base/audit.h"
#include "base/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define I64MAX 9000000000000000LL

/* The registry (docs/scoring.md lists the same names with their meaning). */
static const td_fact_def defs[] = {
    { "birth_date", TD_FT_DATE, false, NULL, 0, 0, N_("date of birth") },
    { "degree", TD_FT_ENUM, true, "doctorate,master,bachelor,associate", 0, 0,
      N_("academic degree") },
    { "degree_taught_in_chinese", TD_FT_BOOL, false, NULL, 0, 0,
      N_("bachelor's degree or higher taught in Chinese") },
    { "top_university_graduate", TD_FT_BOOL, false, NULL, 0, 0,
      N_("graduate of a top foreign university") },
    { "vocational", TD_FT_ENUM, true, "top_international,senior_technician,technician,senior_worker",
      0, 0, N_("vocational qualification") },
    { "professional_title", TD_FT_ENUM, true, "senior,vice_senior,intermediate,junior", 0, 0,
      N_("professional title") },
    { "employment", TD_FT_PERIOD, true, NULL, 0, 0, N_("employment period") },
    { "annual_salary", TD_FT_MONEY, false, NULL, 0, I64MAX, N_("annual salary paid in China (yuan)") },
    { "months_in_china", TD_FT_INT, false, NULL, 0, 12, N_("months worked in China per year") },
    { "hsk_level", TD_FT_INT, false, NULL, 1, 6, N_("HSK level") },
    { "former_chinese_national", TD_FT_BOOL, false, NULL, 0, 0, N_("former Chinese national") },
    { "work_region", TD_FT_ENUM, false, "western,northeast,poverty_county,other", 0, 0,
      N_("region of the place of work") },
    { "fortune500_experience", TD_FT_BOOL, false, NULL, 0, 0, N_("Fortune-500 work experience") },
    { "patent", TD_FT_TEXT, true, NULL, 0, 0, N_("patent or registered IP (number)") },
    { "china_work_start", TD_FT_DATE, false, NULL, 0, 0,
      N_("start of continuous work in China") },
    { "local_scarce_points", TD_FT_INT, false, NULL, 0, 10,
      N_("local encouragement points (scarce talent)") },
    { "award", TD_FT_ENUM, true,
      "nobel,turing,fields,wolf,lasker,pritzker,academician_cas,academician_cae,foreign_academician,"
      "national_science_award,cq_outstanding_talent_award,competition_national,"
      "competition_provincial",
      0, 0, N_("award or honour") },
    { "programme", TD_FT_ENUM, true,
      "national_talent_programme,honghyan,cq_talent_plan,returnee_startup_support,"
      "cq_returnee_innovation,postdoc,strategic_scientist",
      0, 0, N_("talent programme") },
    { "direct_qualification", TD_FT_ENUM, true,
      "encouraged_post,innovation_entrepreneur,outstanding_young", 0, 0,
      N_("direct qualification item (work permit category A)") },
    { "returnee", TD_FT_BOOL, false, NULL, 0, 0, N_("returned overseas graduate") },
    { "offshore_talent", TD_FT_BOOL, false, NULL, 0, 0, N_("offshore talent") },
    { "chongqing_arrival", TD_FT_DATE, false, NULL, 0, 0, N_("date of coming to work in Chongqing") },
    { "first_fulltime_job_in_chongqing", TD_FT_BOOL, false, NULL, 0, 0,
      N_("first full-time job in Chongqing") },
    { "contract_years", TD_FT_INT, false, NULL, 0, 99, N_("length of the labour contract (years)") },
    { "social_insurance_paid", TD_FT_BOOL, false, NULL, 0, 0, N_("social insurance paid as required") },
    { "tax_paid", TD_FT_BOOL, false, NULL, 0, 0, N_("taxes paid as required") },
    { "good_credit", TD_FT_BOOL, false, NULL, 0, 0, N_("good credit record") },
    { "startup_in_chongqing", TD_FT_BOOL, false, NULL, 0, 0, N_("starting a business in Chongqing") },
    { "enterprise_founded", TD_FT_DATE, false, NULL, 0, 0,
      N_("date the talent's enterprise began operating") },
    { "enterprise_size", TD_FT_ENUM, false, "micro,small,medium,large", 0, 0,
      N_("size of the talent's enterprise") },
    { "project_landed", TD_FT_DATE, false, NULL, 0, 0,
      N_("date the award-winning project landed in Chongqing") },
    { "incubated_project", TD_FT_BOOL, false, NULL, 0, 0,
      N_("start-up project in an incubator (e.g. the returnee start-up park)") },
    { "guarantee_loan_amount", TD_FT_MONEY, false, NULL, 0, I64MAX,
      N_("start-up guarantee loan granted (yuan)") },
    { "guarantee_loan_interest", TD_FT_MONEY, false, NULL, 0, I64MAX,
      N_("interest actually paid on the start-up guarantee loan in the year (yuan)") },
    /* seed 004 (渝府发〔2004〕87号) and 000 §4, §16 (issue 13 item 7) */
    { "hkmo_talent", TD_FT_BOOL, false, NULL, 0, 0, N_("Hong Kong or Macau talent") },
    { "foreign_national", TD_FT_BOOL, false, NULL, 0, 0, N_("foreign national") },
    { "works_in_chongqing", TD_FT_BOOL, false, NULL, 0, 0, N_("working in Chongqing") },
    { "chongqing_stay", TD_FT_ENUM, false, "resident,visitor", 0, 0,
      N_("stay in Chongqing: to live there or only to come and go") },
    { "foreign_scientist", TD_FT_BOOL, false, NULL, 0, 0, N_("excellent foreign scientist") },
    { "scientist_team_member", TD_FT_BOOL, false, NULL, 0, 0,
      N_("foreign member or research assistant of a foreign scientist's team") },
    { "young_talent", TD_FT_BOOL, false, NULL, 0, 0,
      N_("young talent as the Golden Phoenix policy defines it") },
};

static bool parse_int(const char *s, long long *out);

/* The labels of the coded values (translated with _()). */
/* zh: the Chinese label, accepted as input in every interface language
 * (degree=博士 also with --lang en); shown only through _(label). */
static const struct {
    const char *fact, *code, *label, *zh;
} value_labels[] = {
    { "degree", "doctorate", N_("doctorate"), "博士" },
    { "degree", "master", N_("master's degree"), "硕士" },
    { "degree", "bachelor", N_("bachelor's degree"), "学士" },
    { "degree", "associate", N_("associate degree"), "专科（大专）" },
    { "vocational", "top_international", N_("top international vocational qualification"), "国际顶尖职业技能资格" },
    { "vocational", "senior_technician", N_("senior technician"), "高级技师" },
    { "vocational", "technician", N_("technician"), "技师" },
    { "vocational", "senior_worker", N_("senior skilled worker"), "高级工" },
    { "professional_title", "senior", N_("full senior title"), "正高级职称" },
    { "professional_title", "vice_senior", N_("associate senior title"), "副高级职称" },
    { "professional_title", "intermediate", N_("intermediate title"), "中级职称" },
    { "professional_title", "junior", N_("junior title"), "初级职称" },
    { "work_region", "western", N_("western region"), "西部地区" },
    { "work_region", "northeast", N_("north-east region"), "东北地区" },
    { "work_region", "poverty_county", N_("county lifted out of poverty"), "脱贫县" },
    { "work_region", "other", N_("other region"), "其他地区" },
    { "award", "nobel", N_("Nobel Prize"), "诺贝尔奖" },
    { "award", "turing", N_("Turing Award"), "图灵奖" },
    { "award", "fields", N_("Fields Medal"), "菲尔兹奖" },
    { "award", "wolf", N_("Wolf Prize"), "沃尔夫奖" },
    { "award", "lasker", N_("Lasker Award"), "拉斯克奖" },
    { "award", "pritzker", N_("Pritzker Prize"), "普利兹克奖" },
    { "award", "academician_cas", N_("academician of the Chinese Academy of Sciences"), "中国科学院院士" },
    { "award", "academician_cae", N_("academician of the Chinese Academy of Engineering"), "中国工程院院士" },
    { "award", "foreign_academician", N_("academician of a foreign national academy"), "外国国家科学院（工程院）院士" },
    { "award", "national_science_award", N_("national science and technology award"), "国家科学技术奖" },
    { "award", "cq_outstanding_talent_award", N_("Chongqing outstanding talent award"), "重庆市杰出英才奖" },
    { "award", "competition_national", N_("innovation competition award, national level"), "创新创业大赛国家级奖项" },
    { "award", "competition_provincial", N_("innovation competition award, provincial level"), "创新创业大赛省级奖项" },
    { "programme", "national_talent_programme", N_("national talent programme"), "国家级人才计划" },
    { "programme", "honghyan", N_("Hongyan (wild goose) programme"), "鸿雁计划" },
    { "programme", "cq_talent_plan", N_("Chongqing talent plan"), "重庆英才计划" },
    { "programme", "returnee_startup_support", N_("national returnee start-up support programme"), "留学人员回国创业创新支持计划" },
    { "programme", "cq_returnee_innovation", N_("Chongqing returnee innovation programme"), "重庆市留学人员回国创业创新支持计划" },
    { "programme", "postdoc", N_("postdoctoral researcher"), "博士后" },
    { "programme", "strategic_scientist", N_("strategic scientist"), "战略科学家" },
    { "direct_qualification", "encouraged_post", N_("encouraged post"), "鼓励类岗位" },
    { "direct_qualification", "innovation_entrepreneur", N_("innovative entrepreneur"), "创新创业人才" },
    { "direct_qualification", "outstanding_young", N_("outstanding young talent"), "优秀青年人才" },
    { "enterprise_size", "micro", N_("micro enterprise"), "微型企业" },
    { "enterprise_size", "small", N_("small enterprise"), "小型企业" },
    { "enterprise_size", "medium", N_("medium-sized enterprise"), "中型企业" },
    { "enterprise_size", "large", N_("large enterprise"), "大型企业" },
    { "chongqing_stay", "resident", N_("to live in Chongqing"), "来渝常住" },
    { "chongqing_stay", "visitor", N_("not to live in Chongqing"), "不需常住" },
};

/* Short names a clerk types (学历=博士, 职称=正高级), besides the codes
 * and the full labels. */
static const struct {
    const char *fact, *name, *zh;
} short_names[] = {
    { "degree", N_("education"), "学历" },          { "degree", N_("degree"), "学位" },
    { "birth_date", N_("birth date"), "出生日期" },          { "professional_title", N_("title"), "职称" },
    { "annual_salary", N_("annual salary"), "年薪" }, { "employment", N_("work experience"), "工作经历" },
    { "vocational", N_("skill level"), "技能等级" },    { "award", N_("award"), "奖项" },
    { "programme", N_("programme"), "人才计划" },       { "patent", N_("patent"), "专利" },
    { "hsk_level", N_("HSK"), "汉语水平" },             { "returnee", N_("returnee"), "留学回国" },
    { "months_in_china", N_("months in China"), "在华工作月数" },
    { "hkmo_talent", N_("Hong Kong or Macau talent"), "港澳人才" },
    { "foreign_national", N_("foreign national"), "外籍" },
    { "works_in_chongqing", N_("working in Chongqing"), "在渝工作" },
    { "chongqing_stay", N_("stay in Chongqing"), "来渝居留" },
    { "foreign_scientist", N_("foreign scientist"), "外籍优秀科学家" },
    { "scientist_team_member", N_("team member"), "科学家团队成员" },
    { "young_talent", N_("young talent"), "青年人才" },
};

/* Inputs derived from facts (rules band on them). */
static const struct {
    const char *input, *label;
} derived_labels[] = {
    { "age", N_("age") },
    { "experience_years", N_("years of work experience") },
    { "years_in_china", N_("years worked in China") },
    { "years_in_chongqing", N_("years in Chongqing") },
    { "enterprise_years", N_("years the enterprise has operated") },
    { "competition_landing_months", N_("months from the award to landing in Chongqing") },
};

const char *td_fact_value_label(const char *name, const char *code)
{
    for (size_t i = 0; i < sizeof value_labels / sizeof value_labels[0]; i++)
        if (strcmp(value_labels[i].fact, name) == 0 && strcmp(value_labels[i].code, code) == 0)
            return _(value_labels[i].label);
    if (strcmp(code, "yes") == 0) {
        const td_fact_def *d = td_fact_def_find(name);
        if (d && d->type == TD_FT_BOOL)
            return _("yes");
    }
    return code;
}

void td_input_label(const char *input, char *out, size_t len)
{
    if (strncmp(input, "count:", 6) == 0) {
        char inner[128];
        td_input_label(input + 6, inner, sizeof inner);
        snprintf(out, len, _("number of %s"), inner);
        return;
    }
    for (size_t i = 0; i < sizeof derived_labels / sizeof derived_labels[0]; i++)
        if (strcmp(derived_labels[i].input, input) == 0) {
            snprintf(out, len, "%s", _(derived_labels[i].label));
            return;
        }
    const td_fact_def *d = td_fact_def_find(input);
    snprintf(out, len, "%s", d ? _(d->label) : input);
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

/* desc with every known input name written as its label */
static void humanize_words(const char *s, char *out, size_t len)
{
    size_t o = 0;
    out[0] = 0;
    while (*s && o + 1 < len) {
        if (is_word(*s) && !(*s >= '0' && *s <= '9')) {
            const char *e = s;
            while (is_word(*e))
                e++;
            char w[128];
            size_t wl = (size_t)(e - s) < sizeof w - 1 ? (size_t)(e - s) : sizeof w - 1;
            memcpy(w, s, wl);
            w[wl] = 0;
            char lab[256];
            if (td_input_known(w) || td_fact_def_find(w))
                td_input_label(w, lab, sizeof lab);
            else
                snprintf(lab, sizeof lab, "%s", w);
            int k = snprintf(out + o, len - o, "%s", lab);
            o = k > 0 && (size_t)k < len - o ? o + (size_t)k : len - 1;
            s = e;
            continue;
        }
        out[o++] = *s++;
        out[o] = 0;
    }
}

void td_facts_humanize(const char *coded, char *out, size_t len)
{
    if (len == 0)
        return;
    out[0] = 0;
    size_t o = 0;
    const char *p = coded ? coded : "";
    while (*p && o + 1 < len) {
        const char *end = strstr(p, "; ");
        size_t tl = end ? (size_t)(end - p) : strlen(p);
        char tok[512];
        if (tl >= sizeof tok)
            tl = sizeof tok - 1;
        memcpy(tok, p, tl);
        tok[tl] = 0;
        char piece[1024];
        char *eq = strchr(tok, '=');
        if (eq) {
            *eq = 0;
            char *val = eq + 1, *desc = strstr(val, " (");
            char d[512] = "";
            if (desc) {
                humanize_words(desc, d, sizeof d);
                *desc = 0;
            }
            char lab[256];
            td_input_label(tok, lab, sizeof lab);
            char v[256];
            snprintf(v, sizeof v, "%s", td_fact_value_label(tok, val));
            snprintf(piece, sizeof piece, _("%s=%s%s"), lab, v, d);
        } else {
            humanize_words(tok, piece, sizeof piece);
        }
        int k = snprintf(out + o, len - o, "%s%s", o ? _("; ") : "", piece);
        o = k > 0 && (size_t)k < len - o ? o + (size_t)k : len - 1;
        p = end ? end + 2 : p + tl;
    }
}

const td_fact_def *td_fact_defs(size_t *n)
{
    *n = sizeof defs / sizeof defs[0];
    return defs;
}

const td_fact_def *td_fact_def_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].name, name) == 0)
            return &defs[i];
    /* as a clerk types it: the label in the interface language or in
     * English (学位, "academic degree"), or a short name (学历, 职称) */
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(_(defs[i].label), name) == 0 || strcasecmp(defs[i].label, name) == 0)
            return &defs[i];
    for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
        if (strcmp(_(short_names[i].name), name) == 0 || strcasecmp(short_names[i].name, name) == 0 ||
            strcmp(short_names[i].zh, name) == 0)
            for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++)
                if (strcmp(defs[k].name, short_names[i].fact) == 0)
                    return &defs[k];
    return NULL;
}

/* The code of a coded value typed as its label (博士, "doctorate"), or NULL. */
static const char *enum_code_of(const td_fact_def *def, const char *in)
{
    for (size_t i = 0; i < sizeof value_labels / sizeof value_labels[0]; i++)
        if (strcmp(value_labels[i].fact, def->name) == 0 &&
            (strcmp(_(value_labels[i].label), in) == 0 || strcasecmp(value_labels[i].label, in) == 0 ||
             strcmp(value_labels[i].zh, in) == 0))
            return value_labels[i].code;
    return NULL;
}

/* Money as typed at a Chinese counter: 450000, 450,000, 45万, 4.5万, 45万元,
 * 1.2亿 (whole yuan; a fraction of a yuan is refused). */
static bool parse_money(const char *s, long long *out)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    size_t l = strlen(buf);
    while (l && buf[l - 1] == ' ')
        buf[--l] = 0;
    if (l >= 3 && strcmp(buf + l - 3, "元") == 0)
        buf[l -= 3] = 0;
    long long mul = 1;
    if (l >= 3 && strcmp(buf + l - 3, "万") == 0)
        mul = 10000, buf[l -= 3] = 0;
    else if (l >= 3 && strcmp(buf + l - 3, "亿") == 0)
        mul = 100000000, buf[l -= 3] = 0;
    char *dot = strchr(buf, '.');
    long long whole, frac = 0, scale = 1;
    if (dot) {
        *dot = 0;
        for (const char *f = dot + 1; *f; f++) {
            if (*f < '0' || *f > '9' || scale > 100000000)
                return false;
            frac = frac * 10 + (*f - '0');
            scale *= 10;
        }
    }
    if (!parse_int(buf, &whole) || whole < 0)
        return false;
    if (whole > I64MAX / mul)
        return false;
    if ((frac * mul) % scale != 0)
        return false; /* 4.56789万 is not whole yuan */
    *out = whole * mul + frac * mul / scale;
    return true;
}

/* A period as typed: 20150301..20220228, 2015-03-01至2022-02-28,
 * 20150301-20220228, 2015-03-01~2022-02-28, 20150301至今 (open). */
static void period_canon(const char *in, char *out, size_t len)
{
    snprintf(out, len, "%s", in);
    static const char *const seps[] = { "至", "～", "~", "－", "—" };
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        char *p = strstr(out, seps[i]);
        if (p) {
            size_t sl = strlen(seps[i]);
            char rest[128];
            snprintf(rest, sizeof rest, "%s", p + sl);
            if (strcmp(rest, "今") == 0 || strcmp(rest, "今天") == 0)
                rest[0] = 0;
            snprintf(p, len - (size_t)(p - out), "..%s", rest);
            return;
        }
    }
    /* 20150301-20220228: a dash between two 8-digit dates */
    if (!strstr(out, "..") && strlen(out) == 17 && out[8] == '-') {
        char a[9], b[9];
        memcpy(a, out, 8), a[8] = 0;
        memcpy(b, out + 9, 8), b[8] = 0;
        snprintf(out, len, "%s..%s", a, b);
    }
}

bool td_input_known(const char *input)
{
    if (!input)
        return false;
    if (strcmp(input, "age") == 0 || strcmp(input, "experience_years") == 0 ||
        strcmp(input, "years_in_china") == 0 || strcmp(input, "years_in_chongqing") == 0 ||
        strcmp(input, "enterprise_years") == 0 || strcmp(input, "competition_landing_months") == 0)
        return true;
    if (strncmp(input, "count:", 6) == 0)
        return td_fact_def_find(input + 6) != NULL;
    const td_fact_def *d = td_fact_def_find(input);
    return d && (d->type == TD_FT_INT || d->type == TD_FT_MONEY);
}

/* Whole non-negative decimal integer (ASCII or full-width digits, optional
 * thousands commas); false otherwise. */
static bool parse_int(const char *s, long long *out)
{
    long long v = 0;
    int digits = 0;
    bool neg = false;
    while (*s == ' ')
        s++;
    if (*s == '-') {
        neg = true;
        s++;
    }
    while (*s) {
        int d = -1;
        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
            s++;
        } else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
                   (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
            d = (unsigned char)s[2] - 0x90;
            s += 3;
        } else if (*s == ',' && digits > 0) {
            s++;
            continue;
        } else if (*s == ' ') {
            while (*s == ' ')
                s++;
            if (*s)
                return false;
            break;
        } else {
            return false;
        }
        if (v > (I64MAX - d) / 10)
            return false;
        v = v * 10 + d;
        digits++;
    }
    if (!digits)
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool in_list(const char *list, const char *v)
{
    size_t vl = strlen(v);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > p && t[-1] == ' ')
            t--;
        if ((size_t)(t - p) == vl && strncmp(p, v, vl) == 0)
            return true;
        p = e;
    }
    return false;
}

static bool parse_period(const char *s, td_date *a, td_date *b, bool *open)
{
    const char *dots = strstr(s, "..");
    if (!dots)
        return false;
    char first[64];
    size_t l = (size_t)(dots - s);
    if (l == 0 || l >= sizeof first)
        return false;
    memcpy(first, s, l);
    first[l] = 0;
    if (!td_date_parse(first, a))
        return false;
    const char *rest = dots + 2;
    while (*rest == ' ')
        rest++;
    if (!*rest) {
        *open = true;
        return true;
    }
    *open = false;
    if (!td_date_parse(rest, b))
        return false;
    return td_date_cmp(*a, *b) <= 0;
}

td_status td_fact_normalize(const td_fact_def *def, const char *in, char *out, size_t outlen,
                            td_err *err)
{
    if (!def)
        return td_err_set(err, TD_EINVALID, _("unknown fact"));
    while (in && *in == ' ')
        in++;
    if (!in || !*in)
        return td_err_set(err, TD_EINVALID, _("fact %s: a value is required"), def->name);
    switch (def->type) {
    case TD_FT_DATE: {
        td_date d;
        if (!td_date_parse(in, &d))
            return td_err_set(err, TD_EINVALID, _("fact %s: '%s' is not a valid date (YYYY-MM-DD)"),
                              def->name, in);
        char buf[TD_DATE_LEN];
        td_date_format(d, buf);
        snprintf(out, outlen, "%s", buf);
        return TD_OK;
    }
    case TD_FT_INT:
    case TD_FT_MONEY: {
        long long v;
        if (def->type == TD_FT_MONEY ? !parse_money(in, &v) : !parse_int(in, &v))
            return td_err_set(err, TD_EINVALID, _("fact %s: '%s' is not a whole number"), def->name,
                              in);
        if (v < def->min || v > def->max)
            return td_err_set(err, TD_EINVALID, _("fact %s: %lld is outside %lld-%lld"), def->name, v,
                              def->min, def->max);
        snprintf(out, outlen, "%lld", v);
        return TD_OK;
    }
    case TD_FT_ENUM:
        if (!in_list(def->values, in) && enum_code_of(def, in))
            in = enum_code_of(def, in);
        if (!in_list(def->values, in))
            return td_err_set(err, TD_EINVALID, _("fact %s: '%s' is not one of: %s"), def->name, in,
                              def->values);
        snprintf(out, outlen, "%s", in);
        return TD_OK;
    case TD_FT_BOOL:
        if (strcmp(in, "yes") == 0 || strcmp(in, "true") == 0 || strcmp(in, "1") == 0 ||
            strcmp(in, "是") == 0 || strcmp(in, "y") == 0) {
            snprintf(out, outlen, "yes");
            return TD_OK;
        }
        return td_err_set(err, TD_EINVALID,
                          _("fact %s: '%s' must be 'yes' (a fact that does not hold is not recorded)"),
                          def->name, in);
    case TD_FT_PERIOD: {
        td_date a, b;
        bool open = false;
        char canon[160];
        period_canon(in, canon, sizeof canon);
        if (!parse_period(canon, &a, &b, &open))
            return td_err_set(err, TD_EINVALID,
                              _("fact %s: '%s' is not a period (YYYY-MM-DD..YYYY-MM-DD or YYYY-MM-DD..)"),
                              def->name, in);
        char x[TD_DATE_LEN], y[TD_DATE_LEN];
        td_date_format(a, x);
        if (open) {
            snprintf(out, outlen, "%s..", x);
        } else {
            td_date_format(b, y);
            snprintf(out, outlen, "%s..%s", x, y);
        }
        return TD_OK;
    }
    case TD_FT_TEXT:
        for (const char *p = in; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return td_err_set(err, TD_EINVALID, _("fact %s: control characters are not allowed"),
                                  def->name);
        if (strlen(in) >= outlen || strlen(in) >= TD_FACT_VALUE_LEN)
            return td_err_set(err, TD_EINVALID, _("fact %s: value too long"), def->name);
        snprintf(out, outlen, "%s", in);
        return TD_OK;
    }
    return td_err_set(err, TD_EINVALID, _("unknown fact"));
}

void td_factset_free(td_factset *fs)
{
    free(fs->v);
    fs->v = NULL;
    fs->n = fs->cap = 0;
}

void td_factset_add(td_factset *fs, const td_fact *f)
{
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 16;
        td_fact *nv = realloc(fs->v, nc * sizeof *nv);
        if (!nv)
            abort();
        fs->v = nv;
        fs->cap = nc;
    }
    fs->v[fs->n++] = *f;
}

td_status td_fact_parse_kv(const char *kv, bool verified, td_fact *f, td_err *err)
{
    memset(f, 0, sizeof *f);
    const char *eq = strchr(kv, '=');
    size_t eql = 1;
    const char *fw = strstr(kv, "＝"); /* typed through a Chinese input method */
    if (fw && (!eq || fw < eq))
        eq = fw, eql = strlen("＝");
    if (!eq || eq == kv)
        return td_err_set(err, TD_EINVALID, _("'%s' is not of the form name=value"), kv);
    char name[TD_FACT_NAME_LEN];
    size_t nl = (size_t)(eq - kv);
    if (nl >= sizeof name)
        return td_err_set(err, TD_EINVALID, _("unknown fact '%.*s'"), (int)nl, kv);
    memcpy(name, kv, nl);
    name[nl] = 0;
    const td_fact_def *def = td_fact_def_find(name);
    if (!def)
        return td_err_set(err, TD_EINVALID, _("unknown fact '%s' (see docs/scoring.md)"), name);
    char val[512];
    snprintf(val, sizeof val, "%s", eq + eql);
    /* "value@date": the date the fact began to hold.  Periods contain no '@'. */
    char *at = strrchr(val, '@');
    if (at) {
        *at = 0;
        td_date d;
        if (!td_date_parse(at + 1, &d))
            return td_err_set(err, TD_EINVALID, _("fact %s: '%s' is not a valid date"), name, at + 1);
        td_date_format(d, f->date);
    }
    td_status s = td_fact_normalize(def, val, f->value, sizeof f->value, err);
    if (s)
        return s;
    snprintf(f->name, sizeof f->name, "%s", def->name); /* the code, also when typed as 学位 */
    f->verified = verified;
    return TD_OK;
}

void td_factset_override(td_factset *fs, const td_factset *over)
{
    size_t w = 0;
    for (size_t i = 0; i < fs->n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < over->n; j++)
            if (strcmp(fs->v[i].name, over->v[j].name) == 0)
                replaced = true;
        if (!replaced)
            fs->v[w++] = fs->v[i];
    }
    fs->n = w;
    for (size_t j = 0; j < over->n; j++)
        td_factset_add(fs, &over->v[j]);
}

static td_status json_value_fact(const char *name, json_t *v, const char *date, bool verified,
                                 td_factset *fs, td_err *err)
{
    char buf[256];
    if (json_is_string(v))
        snprintf(buf, sizeof buf, "%s=%s", name, json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%s=%lld", name, (long long)json_integer_value(v));
    else if (json_is_true(v))
        snprintf(buf, sizeof buf, "%s=yes", name);
    else if (json_is_false(v) || json_is_null(v))
        return TD_OK; /* a fact that does not hold */
    else
        return td_err_set(err, TD_EINVALID, _("fact %s: unsupported JSON value"), name);
    if (date && *date) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, "@%s", date);
    }
    td_fact f;
    td_status s = td_fact_parse_kv(buf, verified, &f, err);
    if (s)
        return s;
    td_factset_add(fs, &f);
    return TD_OK;
}

td_status td_facts_from_json_file(const char *path, td_factset *fs, td_err *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return td_err_set(err, errno == ENOENT ? TD_EIO : TD_EINVALID, _("%s:%d: %s"), path, je.line,
                          je.text);
    td_status s = TD_OK;
    if (!json_is_object(root)) {
        s = td_err_set(err, TD_EINVALID, _("%s: expected a JSON object"), path);
        goto out;
    }
    json_t *list = json_object_get(root, "facts");
    if (json_is_array(list)) {
        size_t i;
        json_t *it;
        json_array_foreach(list, i, it) {
            const char *name = json_string_value(json_object_get(it, "name"));
            json_t *val = json_object_get(it, "value");
            const char *date = json_string_value(json_object_get(it, "date"));
            json_t *ver = json_object_get(it, "verified");
            if (!name || !val) {
                s = td_err_set(err, TD_EINVALID, _("%s: fact %zu needs a name and a value"), path, i + 1);
                goto out;
            }
            if ((s = json_value_fact(name, val, date, ver ? json_is_true(ver) : true, fs, err)))
                goto out;
        }
    } else {
        const char *key;
        json_t *val;
        json_object_foreach(root, key, val) {
            if (json_is_array(val)) {
                size_t i;
                json_t *it;
                json_array_foreach(val, i, it) {
                    if ((s = json_value_fact(key, it, NULL, true, fs, err)))
                        goto out;
                }
            } else if ((s = json_value_fact(key, val, NULL, true, fs, err))) {
                goto out;
            }
        }
    }
out:
    json_decref(root);
    return s;
}

/* ---- derived inputs ---------------------------------------------------- */

static bool applicable(const td_fact *f, td_date as_of, bool verified_only)
{
    if (verified_only && !f->verified)
        return false;
    if (f->date[0]) {
        td_date d;
        if (td_date_parse(f->date, &d) && td_date_cmp(d, as_of) > 0)
            return false;
    }
    return true;
}

/* The latest applicable fact `name` (latest date; undated counts as oldest;
 * ties: the last added). */
static const td_fact *latest(const td_factset *fs, const char *name, td_date as_of, bool vo)
{
    const td_fact *best = NULL;
    for (size_t i = 0; i < fs->n; i++) {
        const td_fact *f = &fs->v[i];
        if (strcmp(f->name, name) != 0 || !applicable(f, as_of, vo))
            continue;
        if (!best || strcmp(f->date, best->date) >= 0)
            best = f;
    }
    return best;
}

static void set_desc(char *desc, size_t len, const char *fmt, const char *a, const char *b)
{
    if (desc && len)
        snprintf(desc, len, fmt, a, b);
}

typedef struct span {
    int32_t a, b; /* days, inclusive */
} span;

static int span_cmp(const void *x, const void *y)
{
    const span *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a;
}

/* Total days covered by the employment periods (overlaps merged), clipped
 * to as_of. */
static long long employment_days(const td_factset *fs, td_date as_of, bool vo, int *nperiods,
                                 int32_t *first)
{
    span *v = calloc(fs->n + 1, sizeof *v);
    if (!v)
        abort();
    size_t n = 0;
    int32_t lim = td_date_to_days(as_of);
    int seen = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const td_fact *f = &fs->v[i];
        if (strcmp(f->name, "employment") != 0 || (vo && !f->verified))
            continue;
        td_date a, b;
        bool open = false;
        if (!parse_period(f->value, &a, &b, &open))
            continue;
        seen++; /* known, even when it lies after as_of (then 0 days) */
        int32_t da = td_date_to_days(a);
        int32_t db = open ? lim : td_date_to_days(b);
        if (db > lim)
            db = lim;
        if (da > db)
            continue;
        v[n].a = da;
        v[n].b = db;
        n++;
    }
    qsort(v, n, sizeof *v, span_cmp);
    long long total = 0;
    int32_t ca = 0, cb = -1;
    bool have = false;
    for (size_t i = 0; i < n; i++) {
        if (have && v[i].a <= cb + 1) {
            if (v[i].b > cb)
                cb = v[i].b;
        } else {
            if (have)
                total += cb - ca + 1;
            ca = v[i].a;
            cb = v[i].b;
            have = true;
        }
    }
    if (have)
        total += cb - ca + 1;
    *first = n ? v[0].a : lim;
    free(v);
    *nperiods = seen;
    return total;
}

bool td_facts_input(const td_factset *fs, const char *input, td_date as_of, bool vo,
                    long long *out, char *desc, size_t desclen)
{
    if (desc && desclen)
        desc[0] = 0;
    if (strcmp(input, "competition_landing_months") == 0) {
        /* Whole months from the latest dated competition award to the
         * project's landing in Chongqing (003 §8: within 12 months). */
        const td_fact *aw = NULL;
        for (size_t i = 0; i < fs->n; i++) {
            const td_fact *f = &fs->v[i];
            if (strcmp(f->name, "award") == 0 && f->date[0] && applicable(f, as_of, vo) &&
                (strcmp(f->value, "competition_national") == 0 ||
                 strcmp(f->value, "competition_provincial") == 0) &&
                (!aw || strcmp(f->date, aw->date) > 0))
                aw = f;
        }
        const td_fact *land = latest(fs, "project_landed", as_of, vo);
        td_date a, b;
        if (!aw || !land || !td_date_parse(aw->date, &a) || !td_date_parse(land->value, &b) ||
            td_date_cmp(b, a) < 0)
            return false;
        /* Months begun: the smallest m with landing <= award + m months
         * (day clamped to the month's end), so 12 means "within 12 months". */
        long long m = (long long)(b.y - a.y) * 12 + (b.m - a.m) - 1;
        if (m < 0)
            m = 0;
        for (;; m++) {
            int y = a.y + (int)((a.m - 1 + m) / 12), mo = (int)((a.m - 1 + m) % 12) + 1, dd = a.d;
            while (dd > 28 && !td_date_valid(y, mo, dd))
                dd--;
            td_date lim = { y, mo, dd };
            if (td_date_cmp(b, lim) <= 0)
                break;
        }
        *out = m;
        set_desc(desc, desclen, "%s → %s", aw->date, land->value);
        return true;
    }
    if (strcmp(input, "age") == 0 || strcmp(input, "years_in_china") == 0 ||
        strcmp(input, "years_in_chongqing") == 0 || strcmp(input, "enterprise_years") == 0) {
        const char *fact = strcmp(input, "age") == 0                ? "birth_date"
                           : strcmp(input, "years_in_china") == 0   ? "china_work_start"
                           : strcmp(input, "enterprise_years") == 0 ? "enterprise_founded"
                                                                    : "chongqing_arrival";
        const td_fact *f = latest(fs, fact, as_of, vo);
        td_date d;
        if (!f || !td_date_parse(f->value, &d) || td_date_cmp(d, as_of) > 0)
            return false;
        *out = td_age_on(d, as_of);
        set_desc(desc, desclen, "%s%s", f->value, "");
        return true;
    }
    if (strcmp(input, "experience_years") == 0) {
        int np = 0;
        int32_t first = 0;
        long long days = employment_days(fs, as_of, vo, &np, &first);
        if (np == 0)
            return false;
        /* Whole calendar years: the covered days laid end to end from the
         * first start (exact for one continuous period). */
        td_date a = td_date_from_days(first);
        td_date b = td_date_from_days(first + (int32_t)days);
        *out = td_age_on(a, b);
        if (desc && desclen)
            snprintf(desc, desclen, _("%d period(s), %lld days"), np, days);
        return true;
    }
    if (strncmp(input, "count:", 6) == 0) {
        long long n = 0;
        for (size_t i = 0; i < fs->n; i++)
            if (strcmp(fs->v[i].name, input + 6) == 0 && applicable(&fs->v[i], as_of, vo))
                n++;
        *out = n;
        return true;
    }
    const td_fact *f = latest(fs, input, as_of, vo);
    long long v;
    if (!f || !parse_int(f->value, &v))
        return false;
    *out = v;
    return true;
}

bool td_facts_match(const td_factset *fs, const char *name, const char *values, td_date as_of,
                    bool vo, char *which, size_t whichlen)
{
    const td_fact_def *def = td_fact_def_find(name);
    if (def && !def->multi) {
        const td_fact *f = latest(fs, name, as_of, vo);
        if (f && in_list(values, f->value)) {
            if (which && whichlen)
                snprintf(which, whichlen, "%s", f->value);
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < fs->n; i++) {
        const td_fact *f = &fs->v[i];
        if (strcmp(f->name, name) == 0 && applicable(f, as_of, vo) && in_list(values, f->value)) {
            if (which && whichlen)
                snprintf(which, whichlen, "%s", f->value);
            return true;
        }
    }
    return false;
}

/* ---- stored facts -------------------------------------------------------- */

static void row_to_fact(sqlite3_stmt *st, td_fact *f)
{
    memset(f, 0, sizeof *f);
    td_col_copy(st, 0, f->id, sizeof f->id);
    td_col_copy(st, 1, f->person_id, sizeof f->person_id);
    td_col_copy(st, 2, f->name, sizeof f->name);
    td_col_copy(st, 3, f->value, sizeof f->value);
    td_col_copy(st, 4, f->date, sizeof f->date);
    char status[16];
    td_col_copy(st, 5, status, sizeof status);
    f->verified = strcmp(status, "verified") == 0;
    td_col_copy(st, 6, f->verified_by, sizeof f->verified_by);
    td_col_copy(st, 7, f->verified_at, sizeof f->verified_at);
    td_col_copy(st, 8, f->evidence, sizeof f->evidence);
    td_col_copy(st, 9, f->note, sizeof f->note);
    td_col_copy(st, 10, f->created_at, sizeof f->created_at);
    f->row_version = sqlite3_column_int64(st, 11);
}

#define FACT_COLS                                                                                  \
    "id, person_id, name, value, fact_date, status, verified_by, verified_at, evidence, note, "  \
    "created_at, row_version"

static td_status person_exists(td_db *db, const char *person_id, td_err *err)
{
    sqlite3_stmt *st =
        td_db_prepare(db, "SELECT 1 FROM persons WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return td_err_set(err, TD_ENOTFOUND, _("no such person: %s"), person_id);
    return TD_OK;
}

/* Checks the actor and f (name, value, date, evidence), normalising f. */
static td_status fact_prepare(const td_actor *by, td_fact *f, td_err *err)
{
    td_status s = td_access_check(by, TD_ACT_FACTS_ADD, err);
    if (s)
        return s;
    const td_fact_def *def = td_fact_def_find(f->name);
    if (!def)
        return td_err_set(err, TD_EINVALID, _("unknown fact '%s' (see docs/scoring.md)"), f->name);
    char norm[TD_FACT_VALUE_LEN];
    if ((s = td_fact_normalize(def, f->value, norm, sizeof norm, err)))
        return s;
    snprintf(f->value, sizeof f->value, "%s", norm);
    if (f->date[0]) {
        td_date d;
        if (!td_date_parse(f->date, &d))
            return td_err_set(err, TD_EINVALID, _("fact %s: '%s' is not a valid date"), f->name,
                              f->date);
        td_date_format(d, f->date);
    }
    if (f->verified && !f->evidence[0])
        return td_err_set(err, TD_EINVALID,
                          _("a verified fact needs the evidence that was seen (--evidence)"));
    return TD_OK;
}

/* Writes the prepared fact and its audit row inside the caller's transaction. */
static td_status fact_write(td_db *db, const td_actor *by, td_fact *f, td_err *err)
{
    td_status s;
    if ((s = person_exists(db, f->person_id, err)))
        return s;
    td_uuid7(f->id);
    td_now_utc(f->created_at);
    if (f->verified) {
        snprintf(f->verified_by, sizeof f->verified_by, "%s", by->user_id);
        snprintf(f->verified_at, sizeof f->verified_at, "%s", f->created_at);
    } else {
        f->verified_by[0] = f->verified_at[0] = 0;
    }
    sqlite3_stmt *st = td_db_prepare(
        db,
        "INSERT INTO facts (id, person_id, name, value, fact_date, status, verified_by, verified_at,"
        " evidence, note, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, f->id);
    td_bind_text(st, 2, f->person_id);
    td_bind_text(st, 3, f->name);
    td_bind_text(st, 4, f->value);
    td_bind_text(st, 5, f->date[0] ? f->date : NULL);
    td_bind_text(st, 6, f->verified ? "verified" : "claimed");
    td_bind_text(st, 7, f->verified ? f->verified_by : NULL);
    td_bind_text(st, 8, f->verified ? f->verified_at : NULL);
    td_bind_text(st, 9, f->evidence);
    td_bind_text(st, 10, f->note);
    td_bind_text(st, 11, by->user_id);
    td_bind_text(st, 12, f->created_at);
    td_bind_text(st, 13, f->created_at);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("saving the fact"), err);
    f->row_version = 1;
    char nv[TD_FACT_NAME_LEN + TD_FACT_VALUE_LEN + 32];
    snprintf(nv, sizeof nv, "%s=%s%s%s (%s)", f->name, f->value, f->date[0] ? "@" : "", f->date,
             f->verified ? "verified" : "claimed");
    return td_audit(db, by, NULL, "fact.add", "facts", f->id, "", NULL, nv, f->evidence, err);
}

td_status td_fact_add(td_db *db, const td_actor *by, td_fact *f, td_err *err)
{
    td_status s = fact_prepare(by, f, err);
    if (s)
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    if ((s = fact_write(db, by, f, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_fact_insert(td_db *db, const td_actor *by, td_fact *f, td_err *err)
{
    td_status s = fact_prepare(by, f, err);
    return s ? s : fact_write(db, by, f, err);
}

td_status td_fact_get(td_db *db, const char *fact_id, td_fact *out, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(
        db, "SELECT " FACT_COLS " FROM facts WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, fact_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_fact(st, out);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return td_err_set(err, TD_ENOTFOUND, _("no such fact: %s"), fact_id);
    return TD_OK;
}

td_status td_fact_verify(td_db *db, const td_actor *by, const char *fact_id, const char *evidence,
                         long row_version, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_FACTS_VERIFY, err);
    if (s)
        return s;
    if (!evidence || !*evidence)
        return td_err_set(err, TD_EINVALID,
                          _("a verified fact needs the evidence that was seen (--evidence)"));
    if ((s = td_db_begin(db, err)))
        return s;
    td_fact f;
    if ((s = td_fact_get(db, fact_id, &f, err)))
        goto fail;
    if (f.verified) {
        s = td_err_set(err, TD_ECONFLICT, _("this fact is already verified"));
        goto fail;
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    sqlite3_stmt *st = td_db_prepare(
        db,
        "UPDATE facts SET status = 'verified', verified_by = ?, verified_at = ?, evidence = ?,"
        " updated_at = ?, row_version = row_version + 1 WHERE id = ? AND (? = 0 OR row_version = ?)",
        err);
    if (!st) {
        s = TD_EDB;
        goto fail;
    }
    td_bind_text(st, 1, by->user_id);
    td_bind_text(st, 2, now);
    td_bind_text(st, 3, evidence);
    td_bind_text(st, 4, now);
    td_bind_text(st, 5, fact_id);
    sqlite3_bind_int64(st, 6, row_version);
    sqlite3_bind_int64(st, 7, row_version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("verifying the fact"), err);
        goto fail;
    }
    if (sqlite3_changes(td_db_handle(db)) == 0) {
        s = td_err_set(err, TD_ECONFLICT, _("This record was changed by someone else; refresh and try again"));
        goto fail;
    }
    if ((s = td_audit(db, by, NULL, "fact.verify", "facts", fact_id, "status", "claimed", "verified",
                      evidence, err)))
        goto fail;
    return td_db_commit(db, err);
fail:
    td_db_rollback(db);
    return s;
}

td_status td_facts_load(td_db *db, const char *person_id, td_factset *fs, td_err *err)
{
    td_status s = person_exists(db, person_id, err);
    if (s)
        return s;
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " FACT_COLS " FROM facts WHERE person_id = ? AND"
                                     " deleted_at IS NULL ORDER BY created_at, id",
                                     err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, person_id);
    bool have_birth = false, have_hkmo = false, have_foreign = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        td_fact f;
        row_to_fact(st, &f);
        if (strcmp(f.name, "birth_date") == 0)
            have_birth = true;
        have_hkmo |= strcmp(f.name, "hkmo_talent") == 0;
        have_foreign |= strcmp(f.name, "foreign_national") == 0;
        td_factset_add(fs, &f);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading facts"), err);
    if (!have_birth) {
        st = td_db_prepare(db, "SELECT birth_date FROM persons WHERE id = ?", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, person_id);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            td_fact f;
            memset(&f, 0, sizeof f);
            snprintf(f.name, sizeof f.name, "birth_date");
            snprintf(f.person_id, sizeof f.person_id, "%s", person_id);
            td_col_copy(st, 0, f.value, sizeof f.value);
            snprintf(f.evidence, sizeof f.evidence, "%s", _("person record"));
            td_factset_add(fs, &f);
        }
        sqlite3_reset(st);
    }
    /* From the nationality on the person record, as claimed facts (to be
     * verified against the identity document), unless stated as facts:
     * HKG/MAC → a Hong Kong or Macau talent (seed 004); a nationality other
     * than China and its regions → a foreign national (004 (九), 000 §4). */
    if (!have_hkmo || !have_foreign) {
        st = td_db_prepare(db, "SELECT nationality FROM persons WHERE id = ?", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, person_id);
        char nat[8] = "";
        if (sqlite3_step(st) == SQLITE_ROW)
            td_col_copy(st, 0, nat, sizeof nat);
        sqlite3_reset(st);
        bool hkmo = !strcmp(nat, "HKG") || !strcmp(nat, "MAC");
        bool foreign = nat[0] && !hkmo && strcmp(nat, "CHN") && strcmp(nat, "TWN");
        const char *derived[2] = { !have_hkmo && hkmo ? "hkmo_talent" : NULL,
                                   !have_foreign && foreign ? "foreign_national" : NULL };
        for (int i = 0; i < 2; i++) {
            if (!derived[i])
                continue;
            td_fact f;
            memset(&f, 0, sizeof f);
            snprintf(f.name, sizeof f.name, "%s", derived[i]);
            snprintf(f.person_id, sizeof f.person_id, "%s", person_id);
            snprintf(f.value, sizeof f.value, "yes");
            snprintf(f.evidence, sizeof f.evidence, "%s", _("person record"));
            td_factset_add(fs, &f);
        }
    }
    return TD_OK;
}
