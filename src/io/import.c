/* import.c — see import.h. */
#include "import.h"
#include "auth/access.h"
#include "cases/scope.h"
#include "base/atomicfile.h"
#include "base/audit.h"
#include "csv.h"
#include "people/country.h"
#include "people/dedupe.h"
#include "recognition/facts.h"
#include "encode.h"
#include "xlsx.h"
#include "base/i18n.h"
#include "people/person.h"
#include "base/text.h"
#include "base/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/stat.h>

static const struct {
    const char *alias;
    td_import_field f;
} aliases[] = {
    { "姓名", TD_IF_NAME },             { "name", TD_IF_NAME },            { "名字", TD_IF_NAME },
    { "中文姓名", TD_IF_NAME },         { "英文名", TD_IF_NAME_LATIN },    { "英文姓名", TD_IF_NAME_LATIN },
    { "外文姓名", TD_IF_NAME_LATIN },   { "拼音", TD_IF_NAME_LATIN },      { "姓名拼音", TD_IF_NAME_LATIN },
    { "name_latin", TD_IF_NAME_LATIN }, { "latin name", TD_IF_NAME_LATIN }, { "english name", TD_IF_NAME_LATIN },
    { "证件类型", TD_IF_ID_TYPE },      { "id_type", TD_IF_ID_TYPE },      { "id type", TD_IF_ID_TYPE },
    { "document type", TD_IF_ID_TYPE }, { "证件号码", TD_IF_ID_NO },       { "证件号", TD_IF_ID_NO },
    { "身份证号", TD_IF_ID_NO },        { "身份证号码", TD_IF_ID_NO },     { "公民身份号码", TD_IF_ID_NO },
    { "id_no", TD_IF_ID_NO },           { "id number", TD_IF_ID_NO },      { "id", TD_IF_ID_NO },
    { "document number", TD_IF_ID_NO }, { "性别", TD_IF_GENDER },          { "gender", TD_IF_GENDER },
    { "sex", TD_IF_GENDER },            { "出生日期", TD_IF_BIRTH },       { "生日", TD_IF_BIRTH },
    { "birth_date", TD_IF_BIRTH },      { "birth date", TD_IF_BIRTH },     { "date of birth", TD_IF_BIRTH },
    { "dob", TD_IF_BIRTH },             { "国籍", TD_IF_NATIONALITY },     { "nationality", TD_IF_NATIONALITY },
    { "手机", TD_IF_PHONE },            { "手机号", TD_IF_PHONE },         { "手机号码", TD_IF_PHONE },
    { "联系电话", TD_IF_PHONE },        { "电话", TD_IF_PHONE },           { "phone", TD_IF_PHONE },
    { "mobile", TD_IF_PHONE },          { "邮箱", TD_IF_EMAIL },           { "电子邮箱", TD_IF_EMAIL },
    { "电子邮件", TD_IF_EMAIL },        { "email", TD_IF_EMAIL },          { "e-mail", TD_IF_EMAIL },
    { "人才类别", TD_IF_CATEGORY },     { "类别", TD_IF_CATEGORY },        { "category", TD_IF_CATEGORY },
    { "工作单位", TD_IF_EMPLOYER },     { "单位", TD_IF_EMPLOYER },        { "employer", TD_IF_EMPLOYER },
    { "领域", TD_IF_FIELD },            { "专业领域", TD_IF_FIELD },       { "field", TD_IF_FIELD },
    { "备注", TD_IF_NOTES },            { "notes", TD_IF_NOTES },
    { "最高学历", TD_IF_EDUCATION },    { "最高学位", TD_IF_EDUCATION },   { "最高学历/学位", TD_IF_EDUCATION },
    { "学历", TD_IF_EDUCATION },        { "学位", TD_IF_EDUCATION },       { "学历学位", TD_IF_EDUCATION },
    { "education", TD_IF_EDUCATION },   { "degree", TD_IF_EDUCATION },     { "highest degree", TD_IF_EDUCATION },
    { "毕业院校", TD_IF_SCHOOL },       { "毕业学校", TD_IF_SCHOOL },      { "school", TD_IF_SCHOOL },
    { "university", TD_IF_SCHOOL },     { "graduated from", TD_IF_SCHOOL },
    { "留学国家", TD_IF_STUDY_COUNTRY }, { "留学国家/地区", TD_IF_STUDY_COUNTRY }, { "留学国别", TD_IF_STUDY_COUNTRY },
    { "study_country", TD_IF_STUDY_COUNTRY }, { "country of study", TD_IF_STUDY_COUNTRY },
    { "study country", TD_IF_STUDY_COUNTRY },
    { "回国时间", TD_IF_RETURNED },     { "回国日期", TD_IF_RETURNED },    { "归国时间", TD_IF_RETURNED },
    { "returned_on", TD_IF_RETURNED },  { "return date", TD_IF_RETURNED }, { "date of return", TD_IF_RETURNED },
};

static const char *const headers[TD_IF_COUNT] = {
    "", "姓名", "英文名", "证件类型", "证件号码", "性别", "出生日期", "国籍", "手机号码", "邮箱", "人才类别",
    "工作单位", "领域", "备注", "最高学历", "毕业院校", "留学国家", "回国时间",
};

const char *td_import_field_header(td_import_field f)
{
    return (f > TD_IF_NONE && f < TD_IF_COUNT) ? headers[f] : "";
}

td_import_field td_import_map_header(const char *cell)
{
    char buf[128];
    size_t n = strlen(cell);
    const char *s = cell;
    /* trim ASCII space, tabs and U+3000 on both ends */
    for (;;) {
        if (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        } else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 3;
            n -= 3;
        } else if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        } else {
            break;
        }
    }
    if (n && *s == '*') {
        s++;
        n--;
    } else if (n >= 3 && memcmp(s, "＊", 3) == 0) {
        s += 3;
        n -= 3;
    }
    if (n >= sizeof buf)
        return TD_IF_NONE;
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* drop a trailing remark: "手机号码（必填）", "name (required)" */
    char *paren = strstr(buf, "（");
    if (!paren)
        paren = strchr(buf, '(');
    if (paren && paren != buf)
        *paren = '\0';
    n = strlen(buf);
    while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '*'))
        buf[--n] = '\0';
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(buf, aliases[i].alias) == 0)
            return aliases[i].f;
    return TD_IF_NONE;
}

/* Where each field is stored in td_person. */
static char *field_ptr(td_person *p, td_import_field f, size_t *cap)
{
#define F(m) (*cap = sizeof p->m, p->m)
    switch (f) {
    case TD_IF_NAME: return F(name);
    case TD_IF_NAME_LATIN: return F(name_latin);
    case TD_IF_ID_TYPE: return F(id_type);
    case TD_IF_ID_NO: return F(id_no);
    case TD_IF_GENDER: return F(gender);
    case TD_IF_BIRTH: return F(birth_date);
    case TD_IF_NATIONALITY: return F(nationality);
    case TD_IF_PHONE: return F(phone);
    case TD_IF_EMAIL: return F(email);
    case TD_IF_CATEGORY: return F(category_id);
    case TD_IF_EMPLOYER: return F(employer);
    case TD_IF_FIELD: return F(field);
    case TD_IF_NOTES: return F(notes);
    case TD_IF_EDUCATION: return F(education);
    case TD_IF_SCHOOL: return F(school);
    case TD_IF_STUDY_COUNTRY: return F(study_country);
    case TD_IF_RETURNED: return F(returned_on);
    default: return NULL;
    }
#undef F
}

static td_import_field field_of_key(const char *key)
{
    static const struct {
        const char *k;
        td_import_field f;
    } keys[] = {
        { "name", TD_IF_NAME },       { "name_latin", TD_IF_NAME_LATIN }, { "id_type", TD_IF_ID_TYPE },
        { "id_no", TD_IF_ID_NO },     { "gender", TD_IF_GENDER },         { "birth_date", TD_IF_BIRTH },
        { "nationality", TD_IF_NATIONALITY }, { "phone", TD_IF_PHONE },   { "email", TD_IF_EMAIL },
        { "category", TD_IF_CATEGORY }, { "employer", TD_IF_EMPLOYER },   { "field", TD_IF_FIELD },
        { "notes", TD_IF_NOTES },     { "education", TD_IF_EDUCATION },   { "school", TD_IF_SCHOOL },
        { "study_country", TD_IF_STUDY_COUNTRY }, { "returned_on", TD_IF_RETURNED },
    };
    for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i].k) == 0)
            return keys[i].f;
    return TD_IF_NONE;
}

/* True when s holds a C0 control other than tab/CR/LF, DEL or a C1 control:
 * such text is never stored (it could drive a terminal later). */
static bool has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return true;
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F)
            return true;
    }
    return false;
}

typedef struct importer {
    td_db *db;
    const td_actor *by;
    const td_import_opts *o;
    td_import_report *rep;
    td_decoder *dec;            /* CSV; NULL for .xlsx */
    td_xlsx *xl;                /* .xlsx; NULL for CSV */
    td_csv_record xrec;         /* the current .xlsx row, as a record */
    const unsigned char *kinds; /* .xlsx: enum td_xlsx_kind per field, else NULL */
    td_import_field map[TD_CSV_MAX_FIELDS];
    size_t ncols;
    char **header;              /* original header cells, for the reject file */
    td_afile rej_af;            /* the reject file, written atomically */
    FILE *rej_f;                /* its stream, NULL until the first reject */
    td_encoder *rej;
    char *line;                 /* reject line buffer */
    size_t line_len, line_cap;
    long batch_added;
} importer;

static td_status reject_open(importer *im, td_err *err)
{
    const char *path = im->rep->reject_path;
    td_status so = td_afile_open(&im->rej_af, path, 0600, err); /* names the file and the reason */
    if (so)
        return so;
    im->rej_f = td_afile_stream(&im->rej_af);
    td_enc e = im->dec ? td_decoder_encoding(im->dec) : TD_ENC_UTF8;
    if (e == TD_ENC_UTF16BE)
        e = TD_ENC_UTF16LE;
    td_status s = td_encoder_open(im->rej_f, e, &im->rej, err);
    if (s)
        return s;
    char delim = (e == TD_ENC_UTF16LE) ? '\t' : ',';
    im->line_len = 0;
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, _("Line no."), delim);
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
    im->line[im->line_len++] = delim;
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, _("Reject reason"), delim);
    for (size_t i = 0; i < im->ncols; i++) {
        td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
        im->line[im->line_len++] = delim;
        td_csv_append_field(&im->line, &im->line_len, &im->line_cap, im->header[i], delim);
    }
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
    memcpy(im->line + im->line_len, "\r\n", 3);
    im->line_len += 2;
    return td_encoder_write(im->rej, im->line, im->line_len, err);
}

static td_status reject(importer *im, const td_csv_record *r, const char *reason, td_err *err)
{
    im->rep->rejected++;
    td_status s;
    if (!im->rej && (s = reject_open(im, err)))
        return s;
    char delim = (im->dec && (td_decoder_encoding(im->dec) == TD_ENC_UTF16LE ||
                              td_decoder_encoding(im->dec) == TD_ENC_UTF16BE)) ? '\t' : ',';
    char num[24];
    snprintf(num, sizeof num, "%ld", r->line);
    im->line_len = 0;
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, num, delim);
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
    im->line[im->line_len++] = delim;
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, reason, delim);
    for (size_t i = 0; i < r->nfields; i++) {
        td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
        im->line[im->line_len++] = delim;
        td_csv_append_field(&im->line, &im->line_len, &im->line_cap, r->fields[i], delim);
    }
    td_csv_append_field(&im->line, &im->line_len, &im->line_cap, "", delim);
    memcpy(im->line + im->line_len, "\r\n", 3);
    im->line_len += 2;
    return td_encoder_write(im->rej, im->line, im->line_len, err);
}

/* Looks up a stored person (live or merged) with the same document. */
static int existing(importer *im, const td_person *p, td_person *old, bool *merged, td_err *err)
{
    sqlite3_stmt *st = td_db_prepare(im->db,
                                     "SELECT id, name, name_latin, gender, IFNULL(birth_date,''), nationality, "
                                     "phone, email, IFNULL(category_id,''), employer, field, notes, "
                                     "merged_into IS NOT NULL, education, school, study_country, "
                                     "IFNULL(returned_on,'') FROM persons WHERE id_type = ? AND id_no = ? "
                                     "AND (deleted_at IS NULL OR merged_into IS NOT NULL) LIMIT 1",
                                     err);
    if (!st)
        return -1;
    td_bind_text(st, 1, p->id_type);
    td_bind_text(st, 2, p->id_no);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        td_col_copy(st, 0, old->id, sizeof old->id);
        td_col_copy(st, 1, old->name, sizeof old->name);
        td_col_copy(st, 2, old->name_latin, sizeof old->name_latin);
        td_col_copy(st, 3, old->gender, sizeof old->gender);
        td_col_copy(st, 4, old->birth_date, sizeof old->birth_date);
        td_col_copy(st, 5, old->nationality, sizeof old->nationality);
        td_col_copy(st, 6, old->phone, sizeof old->phone);
        td_col_copy(st, 7, old->email, sizeof old->email);
        td_col_copy(st, 8, old->category_id, sizeof old->category_id);
        td_col_copy(st, 9, old->employer, sizeof old->employer);
        td_col_copy(st, 10, old->field, sizeof old->field);
        td_col_copy(st, 11, old->notes, sizeof old->notes);
        *merged = sqlite3_column_int(st, 12) != 0;
        td_col_copy(st, 13, old->education, sizeof old->education);
        td_col_copy(st, 14, old->school, sizeof old->school);
        td_col_copy(st, 15, old->study_country, sizeof old->study_country);
        td_col_copy(st, 16, old->returned_on, sizeof old->returned_on);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE) {
        td_db_fail(im->db, _("reading the person"), err);
        return -1;
    }
    return 0;
}

static bool same_details(const td_person *a, const td_person *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->name_latin, b->name_latin) == 0 &&
           strcmp(a->gender, b->gender) == 0 && strcmp(a->birth_date, b->birth_date) == 0 &&
           strcmp(a->nationality, b->nationality) == 0 && strcmp(a->phone, b->phone) == 0 &&
           strcmp(a->email, b->email) == 0 && strcmp(a->category_id, b->category_id) == 0 &&
           strcmp(a->employer, b->employer) == 0 && strcmp(a->field, b->field) == 0 &&
           strcmp(a->notes, b->notes) == 0 && strcmp(a->education, b->education) == 0 &&
           strcmp(a->school, b->school) == 0 && strcmp(a->study_country, b->study_country) == 0 &&
           strcmp(a->returned_on, b->returned_on) == 0;
}

/* The degree code (facts "degree") for what a sheet writes as the highest
 * education, or NULL when it names none that scoring knows (the text is
 * still kept on the person). */
static const char *degree_code(const char *edu)
{
    static const struct {
        const char *word, *code;
    } map[] = {
        { "博士", "doctorate" }, { "phd", "doctorate" }, { "doctor", "doctorate" }, { "dphil", "doctorate" },
        { "硕士", "master" },    { "master", "master" }, { "mba", "master" },       { "msc", "master" },
        { "学士", "bachelor" },  { "本科", "bachelor" }, { "bachelor", "bachelor" }, { "bsc", "bachelor" },
        { "大专", "associate" }, { "专科", "associate" }, { "associate", "associate" },
    };
    char low[64];
    snprintf(low, sizeof low, "%s", edu);
    for (char *q = low; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strstr(low, map[i].word))
            return map[i].code;
    return NULL;
}

/* Records what the row claims for scoring (degree, returnee), unverified. */
static td_status claimed_facts(importer *im, const td_person *p, const char *why, td_err *err)
{
    td_fact f;
    const char *deg = p->education[0] ? degree_code(p->education) : NULL;
    td_status s;
    if (deg) {
        memset(&f, 0, sizeof f);
        snprintf(f.person_id, sizeof f.person_id, "%s", p->id);
        snprintf(f.name, sizeof f.name, "degree");
        snprintf(f.value, sizeof f.value, "%s", deg);
        snprintf(f.note, sizeof f.note, "%s: %s%s%s", why, p->education, p->school[0] ? " / " : "", p->school);
        if ((s = td_fact_insert(im->db, im->by, &f, err)))
            return s;
        im->rep->facts++;
    }
    if (p->study_country[0] && strcmp(p->study_country, "CHN") != 0) {
        memset(&f, 0, sizeof f);
        snprintf(f.person_id, sizeof f.person_id, "%s", p->id);
        snprintf(f.name, sizeof f.name, "returnee");
        snprintf(f.value, sizeof f.value, "yes");
        snprintf(f.date, sizeof f.date, "%s", p->returned_on);
        snprintf(f.note, sizeof f.note, "%s: %s %s", why, p->study_country, p->returned_on);
        if ((s = td_fact_insert(im->db, im->by, &f, err)))
            return s;
        im->rep->facts++;
    }
    return TD_OK;
}

static td_status insert_person(importer *im, td_person *p, long line, td_err *err)
{
    td_status s = td_person_insert(im->db, im->by, p, err);
    if (s)
        return s;
    char why[96];
    snprintf(why, sizeof why, "import %s line %ld", im->rep->import_id, line);
    if ((s = td_audit(im->db, im->by, NULL, "person.import", "persons", p->id, "name", NULL, p->name, why, err)))
        return s;
    return claimed_facts(im, p, why, err);
}

/* A number Excel stored in a cell of an .xlsx.  Dates are Excel serials;
 * identity numbers and phones must be digits Excel kept exactly (at most 15
 * significant digits: longer ones, or 5.0010619921e+17, were rounded and are
 * refused, never guessed).  Rewrites r->fields[i] (owned by the .xlsx reader's
 * row, malloc'd) when the number is a date and returns false (the caller goes
 * on); returns true with reason set when the row is to be rejected. */
static bool numeric_cell(importer *im, td_import_field f, td_csv_record *r, size_t i, char *reason,
                         size_t rlen)
{
    const char *v = r->fields[i];
    if (f == TD_IF_BIRTH || f == TD_IF_RETURNED) {
        char d[11];
        if (!td_xlsx_serial_date(v, td_xlsx_date1904(im->xl), d)) {
            snprintf(reason, rlen, _("column %s: %s is not a date"), im->header[i], v);
            return true;
        }
        char *nb = realloc(r->fields[i], 11);
        if (!nb) {
            snprintf(reason, rlen, "%s", td_status_name(TD_ENOMEM));
            return true;
        }
        memcpy(nb, d, 11);
        r->fields[i] = nb;
        r->lens[i] = 10;
        return false;
    }
    if (f == TD_IF_ID_NO || f == TD_IF_PHONE) {
        size_t n = 0;
        bool digits = true;
        for (const char *q = v; *q; q++, n++)
            if (*q < '0' || *q > '9')
                digits = false;
        if (!digits || n > 15) {
            snprintf(reason, rlen,
                     _("column %s: Excel stored %s as a number and lost digits; set the column's format to "
                       "Text, type the numbers again (or start each with an apostrophe '), save and import again"),
                     im->header[i], v);
            return true;
        }
    }
    return false;
}

/* Handles one data record.  Returns TD_OK (row added, skipped or rejected)
 * or a database/file error that stops the import. */
static td_status one_row(importer *im, td_csv_record *r, td_person *p, td_err *err)
{
    char reason[600] = "";
    td_dec_event ev;
    bool blank = true;
    for (size_t i = 0; i < r->nfields; i++)
        if (r->lens[i])
            blank = false;
    if (blank)
        return TD_OK; /* Excel's trailing ",,,," rows */
    im->rep->rows++;
    if (r->problem) {
        snprintf(reason, sizeof reason, "%s", r->problem);
    } else if (im->dec && td_decoder_event_in(im->dec, r->pos_start, r->pos_end, &ev)) {
        td_dec_event_describe(im->dec, &ev, reason, sizeof reason);
    }
    memset(p, 0, sizeof *p);
    td_id_type idt;
    for (size_t i = 0; !reason[0] && i < r->nfields; i++) {
        if (i >= im->ncols) {
            if (r->lens[i])
                snprintf(reason, sizeof reason, _("the row has %zu fields but the header only %zu"), r->nfields,
                         im->ncols);
            continue;
        }
        td_import_field f = im->map[i];
        if (f == TD_IF_NONE)
            continue;
        size_t cap = 0;
        char *dst = field_ptr(p, f, &cap);
        if (im->kinds && im->kinds[i] == TD_XC_NUMBER && numeric_cell(im, f, r, i, reason, sizeof reason))
            continue;
        if (strlen(r->fields[i]) != r->lens[i] || has_control(r->fields[i], r->lens[i])) {
            snprintf(reason, sizeof reason, _("%s: contains control characters"), im->header[i]);
        } else if (f == TD_IF_GENDER && (strcmp(r->fields[i], "男") == 0 || strcasecmp(r->fields[i], "male") == 0)) {
            strcpy(dst, "M");
        } else if (f == TD_IF_GENDER &&
                   (strcmp(r->fields[i], "女") == 0 || strcasecmp(r->fields[i], "female") == 0)) {
            strcpy(dst, "F");
        } else if (f == TD_IF_ID_TYPE && r->lens[i] && td_id_type_parse(r->fields[i], &idt)) {
            /* the Chinese names (港澳居民来往内地通行证 …) are longer than the codes */
            snprintf(dst, cap, "%s", td_id_type_code(idt));
        } else if ((f == TD_IF_NATIONALITY || f == TD_IF_STUDY_COUNTRY) && r->lens[i]) {
            td_err cerr;
            td_err_clear(&cerr);
            if (td_country_resolve(r->fields[i], dst, &cerr) != TD_OK)
                snprintf(reason, sizeof reason, _("column %s: %s"), im->header[i], cerr.msg);
        } else if (r->lens[i] >= cap) {
            snprintf(reason, sizeof reason, _("%s: too long"), im->header[i]);
        } else {
            memcpy(dst, r->fields[i], r->lens[i] + 1);
        }
    }
    if (!reason[0]) {
        const char *key = NULL;
        td_err verr;
        td_err_clear(&verr);
        if (td_person_validate(im->db, p, &key, &verr) != TD_OK) {
            td_import_field f = field_of_key(key);
            const char *col = td_import_field_header(f);
            for (size_t i = 0; i < im->ncols; i++)
                if (im->map[i] == f && f != TD_IF_NONE)
                    col = im->header[i];
            if (col && *col)
                snprintf(reason, sizeof reason, _("column %s: %s"), col, verr.msg);
            else
                snprintf(reason, sizeof reason, "%s", verr.msg);
        }
    }
    if (!reason[0]) {
        /* what validation let through must still be safe to show anywhere */
        static const td_import_field text_fields[] = { TD_IF_NAME,  TD_IF_NAME_LATIN, TD_IF_EMPLOYER,
                                                       TD_IF_FIELD, TD_IF_NOTES,      TD_IF_EMAIL,
                                                       TD_IF_EDUCATION, TD_IF_SCHOOL };
        for (size_t k = 0; !reason[0] && k < sizeof text_fields / sizeof text_fields[0]; k++) {
            size_t cap = 0;
            const char *v = field_ptr(p, text_fields[k], &cap);
            if (!td_text_is_clean(v))
                snprintf(reason, sizeof reason, _("%s: contains characters that cannot be shown safely"),
                         td_import_field_header(text_fields[k]));
        }
    }
    if (!reason[0]) {
        td_person *old = malloc(sizeof *old);
        if (!old)
            return td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        memset(old, 0, sizeof *old);
        bool merged = false;
        int ex = existing(im, p, old, &merged, err);
        if (ex < 0) {
            free(old);
            return TD_EDB;
        }
        td_status sc = TD_OK;
        if (ex == 1) {
            /* A person outside the importer's record scope (another station's,
             * say) is neither changed nor taken as "already there", and the
             * reason names nothing of the stored record. */
            td_err serr;
            td_err_clear(&serr);
            sc = td_person_in_scope(im->db, im->by, old->id, &serr);
            if (sc != TD_OK && sc != TD_EDENIED) {
                *err = serr;
                free(old);
                return sc;
            }
        }
        if (ex == 1 && sc == TD_EDENIED) {
            char masked[TD_IDNO_LEN];
            td_id_mask(p->id_no, masked);
            snprintf(reason, sizeof reason,
                     _("a person with identity document %s is already stored outside your record scope; the "
                       "import neither changes nor takes over that record (ask an administrator)"),
                     masked);
            free(old);
        } else if (ex == 1) {
            if (merged || same_details(p, old)) {
                im->rep->skipped++;
            } else {
                char masked[TD_IDNO_LEN];
                td_id_mask(p->id_no, masked);
                snprintf(reason, sizeof reason,
                         _("a person with identity document %s is already stored (%s) with different details; "
                           "update it by hand"),
                         masked, old->name);
            }
            free(old);
            if (!reason[0])
                return TD_OK;
        } else {
            free(old);
            td_status s = insert_person(im, p, r->line, err);
            if (s)
                return s;
            im->rep->added++;
            im->batch_added++;
            td_dup_match m[TD_DUP_MAX];
            int n = 0;
            if ((s = td_dupe_find_probable(im->db, p, m, TD_DUP_MAX, &n, err)))
                return s;
            for (int i = 0; i < n; i++) {
                bool added;
                if ((s = td_dupe_record(im->db, im->by, p->id, m[i].person_id, m[i].kind, "import", &added, err)))
                    return s;
                if (added)
                    im->rep->probable++;
            }
            return TD_OK;
        }
    }
    return reject(im, r, reason, err);
}

/* The next record from the CSV reader or the .xlsx sheet (*out NULL at the
 * end).  For .xlsx the record borrows the reader's row and im->kinds its
 * cell kinds. */
static td_status next_record(importer *im, td_csv *csv, td_csv_record **out, td_err *err)
{
    if (!im->xl)
        return td_csv_next(csv, out, err);
    td_xlsx_row *row;
    *out = NULL;
    td_status s = td_xlsx_next(im->xl, &row, err);
    if (s || !row)
        return s;
    td_csv_record *r = &im->xrec;
    memset(r, 0, sizeof *r);
    r->nfields = row->ncells;
    r->fields = row->cells;
    r->lens = row->lens;
    r->line = r->end_line = row->row;
    im->kinds = row->kinds;
    *out = r;
    return TD_OK;
}

static td_status file_sha256(FILE *f, char out[65], td_err *err)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&h, buf, n);
    if (ferror(f))
        return td_err_set(err, TD_EIO, _("cannot read the file: %s"), strerror(errno));
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
    rewind(f);
    return TD_OK;
}

static td_status record_import(importer *im, const char *path, td_err *err)
{
    char now[TD_TS_LEN];
    td_now_utc(now);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    sqlite3_stmt *st = td_db_prepare(im->db,
                                     "INSERT INTO imports(id, kind, file_name, sha256, encoding, rows_total, added, "
                                     "skipped, rejected, probable_dupes, dry_run, by_user, created_at, updated_at) "
                                     "VALUES(?,'persons',?,?,?,?,?,?,?,?,0,?,?,?)",
                                     err);
    if (!st)
        return TD_EDB;
    td_import_report *rep = im->rep;
    td_bind_text(st, 1, rep->import_id);
    td_bind_text(st, 2, base);
    td_bind_text(st, 3, rep->sha256);
    td_bind_text(st, 4, td_enc_name(rep->encoding));
    sqlite3_bind_int64(st, 5, rep->rows);
    sqlite3_bind_int64(st, 6, rep->added);
    sqlite3_bind_int64(st, 7, rep->skipped);
    sqlite3_bind_int64(st, 8, rep->rejected);
    sqlite3_bind_int64(st, 9, rep->probable);
    td_bind_text(st, 10, im->by->user_id);
    td_bind_text(st, 11, now);
    td_bind_text(st, 12, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(im->db, _("recording the import"), err);
    char val[160];
    snprintf(val, sizeof val, "rows=%ld added=%ld skipped=%ld rejected=%ld", rep->rows, rep->added, rep->skipped,
             rep->rejected);
    return td_audit(im->db, im->by, NULL, "import.persons", "imports", rep->import_id, "file", NULL, base, val,
                    err);
}

td_status td_import_persons(td_db *db, const td_actor *by, const char *path, const td_import_opts *opts,
                            td_import_report *rep, td_err *err)
{
    static const td_import_opts defaults = { 0 };
    const td_import_opts *o = opts ? opts : &defaults;
    memset(rep, 0, sizeof *rep);
    td_status s = td_access_require(db, by, TD_ACT_IMPORT, err);
    if (s)
        return s;
    FILE *f = fopen(path, "rb");
    if (!f)
        return td_err_set(err, TD_EIO, _("cannot open %s: %s"), path, strerror(errno));
    struct stat sb;
    long long total = fstat(fileno(f), &sb) == 0 ? (long long)sb.st_size : 0;
    importer *im = calloc(1, sizeof *im);
    td_person *p = malloc(sizeof *p);
    td_csv *csv = NULL;
    bool in_tx = false;
    if (!im || !p) {
        s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        goto out;
    }
    im->db = db;
    im->by = by;
    im->o = o;
    im->rep = rep;
    td_uuid7(rep->import_id);
    if (o->reject_path && *o->reject_path)
        snprintf(rep->reject_path, sizeof rep->reject_path, "%s", o->reject_path);
    else
        snprintf(rep->reject_path, sizeof rep->reject_path, "%s.rejects.csv", path);
    if ((s = file_sha256(f, rep->sha256, err)))
        goto out;
    if (td_xlsx_sniff(path)) {
        /* an Excel workbook: cells are UTF-8 already */
        if ((s = td_xlsx_open(path, o->sheet, &im->xl, err)))
            goto out;
        rep->encoding = TD_ENC_UTF8;
    } else {
        if ((s = td_decoder_open(f, o->encoding, &im->dec, err)))
            goto out;
        rep->encoding = td_decoder_encoding(im->dec);
        char delim = (rep->encoding == TD_ENC_UTF16LE || rep->encoding == TD_ENC_UTF16BE) ? '\t' : ',';
        csv = td_csv_new(td_decoder_read, im->dec, delim);
        if (!csv) {
            s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            goto out;
        }
    }
    td_csv_record *r;
    do {
        if ((s = next_record(im, csv, &r, err)))
            goto out;
    } while (im->xl && r && r->nfields == 0); /* rows above the header */
    if (!r) {
        s = td_err_set(err, TD_EINVALID, "%s", _("the file is empty"));
        goto out;
    }
    td_dec_event ev;
    if (im->dec && td_decoder_event_in(im->dec, r->pos_start, r->pos_end, &ev)) {
        char msg[400];
        s = td_err_set(err, TD_EINVALID, _("the header row cannot be read: %s"),
                       td_dec_event_describe(im->dec, &ev, msg, sizeof msg));
        goto out;
    }
    im->ncols = r->nfields;
    im->header = calloc(r->nfields, sizeof *im->header);
    if (!im->header) {
        s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
        goto out;
    }
    bool have[TD_IF_COUNT] = { false };
    for (size_t i = 0; i < r->nfields; i++) {
        im->header[i] = strdup(r->fields[i]);
        if (!im->header[i]) {
            s = td_err_set(err, TD_ENOMEM, "%s", td_status_name(TD_ENOMEM));
            goto out;
        }
        td_import_field fld = td_import_map_header(r->fields[i]);
        if (fld != TD_IF_NONE && have[fld])
            fld = TD_IF_NONE; /* a repeated column: the first one counts */
        im->map[i] = fld;
        have[fld] = true;
        if (fld == TD_IF_NONE && r->lens[i] && td_text_is_clean(r->fields[i])) {
            size_t l = strlen(rep->ignored_columns);
            if (l + r->lens[i] + 4 < sizeof rep->ignored_columns)
                snprintf(rep->ignored_columns + l, sizeof rep->ignored_columns - l, "%s%s", l ? "、" : "",
                         r->fields[i]);
        }
    }
    if (!have[TD_IF_NAME] || !have[TD_IF_ID_NO]) {
        s = td_err_set(err, TD_EINVALID, "%s",
                       _("the header row must have a name column and an identity-number column "
                         "(see README, importing)"));
        goto out;
    }
    /* short transactions with a pause between them: clerks' writes get the
     * lock between two batches instead of waiting out the whole import */
    int batch = o->batch > 0 ? o->batch : 200;
    if ((s = td_db_begin(db, err)))
        goto out;
    in_tx = true;
    long since = 0;
    for (;;) {
        if ((s = next_record(im, csv, &r, err)))
            goto out;
        if (!r)
            break;
        if ((s = one_row(im, r, p, err)))
            goto out;
        if (im->dec)
            td_decoder_forget(im->dec, r->pos_end);
        if (++since >= batch && !o->dry_run) {
            if ((s = td_db_commit(db, err))) {
                in_tx = false;
                goto out;
            }
            im->batch_added = 0;
            since = 0;
            struct timespec pause = { 0, 5 * 1000000L };
            nanosleep(&pause, NULL);
            if ((s = td_db_begin(db, err))) {
                in_tx = false;
                goto out;
            }
        }
        if (o->progress && rep->rows % 1000 == 0 && rep->rows)
            o->progress(o->progress_ud, rep->rows, im->dec ? (long long)td_decoder_in_pos(im->dec) : 0, total);
    }
    if (o->dry_run) {
        td_db_rollback(db);
        in_tx = false;
    } else {
        if ((s = record_import(im, path, err)))
            goto out;
        s = td_db_commit(db, err);
        in_tx = false;
        if (s)
            goto out;
        im->batch_added = 0;
    }
    if (o->progress)
        o->progress(o->progress_ud, rep->rows, total, total);
out:
    if (in_tx) {
        td_db_rollback(db);
        if (im)
            rep->added -= im->batch_added;
    }
    if (im && im->rej) {
        td_err e2;
        td_status s2 = td_encoder_close(im->rej, &e2);
        if (s == TD_OK && s2)
            s = td_err_set(err, s2, "%s", e2.msg);
    }
    if (im && im->rej_f) {
        /* the reject report replaces an older one only when complete */
        if (s == TD_OK) {
            s = td_afile_commit(&im->rej_af, err);
        } else {
            td_afile_abort(&im->rej_af);
            im->rej_f = NULL;
        }
    }
    if (im && !im->rej_f)
        rep->reject_path[0] = '\0';
    if (im && im->header) {
        for (size_t i = 0; i < im->ncols; i++)
            free(im->header[i]);
        free(im->header);
    }
    if (im) {
        free(im->line);
        td_decoder_free(im->dec);
        td_xlsx_close(im->xl);
    }
    td_csv_free(csv);
    free(im);
    free(p);
    fclose(f);
    return s;
}
