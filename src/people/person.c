/* person.c — see person.h. */
#include "person.h"
#include "auth/access.h"
#include "namefold.h"
#include "country.h"
#include "base/audit.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Normalises *field in place (buffer of size len) with td_text_normalize.
 * Returns false when the text is not acceptable (invalid UTF-8, controls) or
 * does not fit. */
static bool norm_field(char *field, size_t len)
{
    char *n = td_text_normalize(field);
    if (!n)
        return false;
    size_t nl = strlen(n);
    if (nl >= len) {
        free(n);
        return false;
    }
    memcpy(field, n, nl + 1);
    free(n);
    return true;
}

static td_status bad(td_err *err, const char **field_out, const char *field, const char *msg)
{
    if (field_out)
        *field_out = field;
    return td_err_set(err, TD_EINVALID, "%s", msg);
}

static bool email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7F)
            return false;
    const char *last = strrchr(e, '.');
    return last[1] != '\0' && at[1] != '.';
}

/* International numbers of foreign talent: "+CC..." 8-15 digits, not +86. */
static bool intl_phone(const char *in, char *out, size_t len)
{
    if (in[0] != '+' || strncmp(in, "+86", 3) == 0)
        return false;
    size_t o = 0;
    out[o++] = '+';
    for (const char *p = in + 1; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!isdigit((unsigned char)*p) || o + 1 >= len)
            return false;
        out[o++] = *p;
    }
    out[o] = '\0';
    return o - 1 >= 8 && o - 1 <= 15;
}

td_status td_person_validate(td_db *db, td_person *p, const char **field_out, td_err *err)
{
    if (field_out)
        *field_out = NULL;
    /* name */
    if (!norm_field(p->name, sizeof p->name))
        return bad(err, field_out, "name", _("Name contains control characters or invalid text"));
    if (!p->name[0])
        return bad(err, field_out, "name", _("Name is required"));
    if (td_text_length(p->name) > TD_NAME_MAX_CHARS) {
        if (field_out)
            *field_out = "name";
        return td_err_set(err, TD_EINVALID, _("Name is too long (at most %d characters)"),
                          TD_NAME_MAX_CHARS);
    }
    if (!norm_field(p->name_latin, sizeof p->name_latin))
        return bad(err, field_out, "name_latin", _("Latin name contains control characters or invalid text"));

    /* identity document */
    td_id_type type;
    if (!p->id_type[0]) {
        if (!td_id_guess_type(p->id_no, &type))
            return bad(err, field_out, "id_type",
                       _("Choose the identity document type (resident ID, permit, passport ...)"));
    } else if (!td_id_type_parse(p->id_type, &type)) {
        return bad(err, field_out, "id_type", _("Unknown identity document type"));
    }
    snprintf(p->id_type, sizeof p->id_type, "%s", td_id_type_code(type));
    char norm[TD_IDNO_LEN];
    td_status s = td_id_validate(type, p->id_no, norm, err);
    if (s) {
        if (field_out)
            *field_out = "id_no";
        return s;
    }
    snprintf(p->id_no, sizeof p->id_no, "%s", norm);

    /* birth date and gender: from an 18-character ID when it carries them */
    td_date birth = { 0, 0, 0 };
    bool have_birth = false;
    if (p->birth_date[0]) {
        if (!td_date_parse(p->birth_date, &birth))
            return bad(err, field_out, "birth_date",
                       _("Birth date is not a real date (type 20260315 or 2026-03-15)"));
        if (td_date_cmp(birth, td_today()) > 0)
            return bad(err, field_out, "birth_date", _("Birth date is in the future"));
        have_birth = true;
    }
    /* gender typed as 男/女 is folded first, so that it compares with the ID */
    if (p->gender[0] && strcmp(p->gender, "M") != 0 && strcmp(p->gender, "F") != 0) {
        if (strcmp(p->gender, "男") == 0)
            strcpy(p->gender, "M");
        else if (strcmp(p->gender, "女") == 0)
            strcpy(p->gender, "F");
        else
            return bad(err, field_out, "gender", _("Gender must be M (male) or F (female)"));
    }
    bool from_id = type == TD_ID_RESIDENT || type == TD_ID_HMT_PERMIT ||
                   (type == TD_ID_FOREIGN_PR && strlen(p->id_no) == 18);
    if (from_id) {
        td_date idbirth;
        bool male;
        char n2[TD_IDNO_LEN];
        if (td_id_resident(p->id_no, n2, &idbirth, &male, NULL) == TD_OK) {
            if (have_birth && td_date_cmp(birth, idbirth) != 0)
                return bad(err, field_out, "birth_date",
                           _("Birth date does not match the identity number"));
            const char *g = male ? "M" : "F";
            if (p->gender[0] && strcmp(p->gender, g) != 0)
                return bad(err, field_out, "gender", _("Gender does not match the identity number"));
            birth = idbirth;
            have_birth = true;
            snprintf(p->gender, sizeof p->gender, "%s", g);
        }
    }
    if (have_birth)
        td_date_format(birth, p->birth_date);

    /* nationality: ISO 3166 alpha-3 */
    if (!p->nationality[0]) {
        /* Hong Kong, Macau and Taiwan are regions: their documents say which */
        const char *reg = "CHN";
        if (strcmp(p->id_type, "hkmo_pass") == 0)
            reg = (p->id_no[0] == 'M') ? "MAC" : "HKG";
        else if (strcmp(p->id_type, "hmt_permit") == 0)
            reg = strncmp(p->id_no, "82", 2) == 0 ? "MAC" : strncmp(p->id_no, "83", 2) == 0 ? "TWN" : "HKG";
        strcpy(p->nationality, reg);
    }
    for (int i = 0; i < 3; i++)
        p->nationality[i] = (char)toupper((unsigned char)p->nationality[i]);
    if (strlen(p->nationality) != 3 || !isupper((unsigned char)p->nationality[0]) ||
        !isupper((unsigned char)p->nationality[1]) || !isupper((unsigned char)p->nationality[2]))
        return bad(err, field_out, "nationality",
                   _("Nationality must be a 3-letter ISO code such as CHN, HKG, USA"));
    {
        size_t nc = 0;
        td_country_all(&nc);
        if (nc && !td_country_find(p->nationality)) {
            if (field_out)
                *field_out = "nationality";
            return td_err_set(err, TD_EINVALID, _("unknown nationality code '%s' (ISO 3166: CHN, HKG, USA ...)"),
                              p->nationality);
        }
    }
    /* study abroad: a known code or empty, and a return date */
    for (int i = 0; p->study_country[i]; i++)
        p->study_country[i] = (char)toupper((unsigned char)p->study_country[i]);
    if (p->study_country[0]) {
        size_t nc = 0;
        td_country_all(&nc);
        if (strlen(p->study_country) != 3 || (nc && !td_country_find(p->study_country))) {
            if (field_out)
                *field_out = "study_country";
            return td_err_set(err, TD_EINVALID, _("unknown country of study '%s' (ISO 3166: GBR, USA ...)"),
                              p->study_country);
        }
    }
    if (p->returned_on[0]) {
        td_date rd;
        if (!td_date_parse(p->returned_on, &rd))
            return bad(err, field_out, "returned_on", _("Return date is not a valid date (YYYY-MM-DD)"));
        td_date_format(rd, p->returned_on);
    }
    if (!norm_field(p->education, sizeof p->education))
        return bad(err, field_out, "education", _("Education contains control characters or invalid text"));
    if (!norm_field(p->school, sizeof p->school))
        return bad(err, field_out, "school", _("School contains control characters or invalid text"));

    /* phone */
    if (!norm_field(p->phone, sizeof p->phone))
        return bad(err, field_out, "phone", _("Phone contains invalid characters"));
    if (p->phone[0]) {
        char pn[TD_IDNO_LEN];
        if (intl_phone(p->phone, pn, sizeof pn)) {
            snprintf(p->phone, sizeof p->phone, "%s", pn);
        } else if ((s = td_phone_validate(p->phone, pn, err)) != TD_OK) {
            if (field_out)
                *field_out = "phone";
            return s;
        } else {
            snprintf(p->phone, sizeof p->phone, "%s", pn);
        }
    }
    /* e-mail */
    if (!norm_field(p->email, sizeof p->email))
        return bad(err, field_out, "email", _("E-mail contains invalid characters"));
    if (p->email[0] && !email_ok(p->email))
        return bad(err, field_out, "email", _("E-mail address is not valid"));

    /* free text */
    if (!norm_field(p->employer, sizeof p->employer))
        return bad(err, field_out, "employer", _("Employer contains control characters or invalid text"));
    if (!norm_field(p->field, sizeof p->field))
        return bad(err, field_out, "field", _("Field contains control characters or invalid text"));
    if (!norm_field(p->notes, sizeof p->notes))
        return bad(err, field_out, "notes", _("Notes contain control characters or invalid text"));

    /* category */
    if (p->category_id[0] && db) {
        sqlite3_stmt *st = td_db_prepare(
            db, "SELECT id FROM talent_categories WHERE (id = ? OR name = ?) AND deleted_at IS NULL", err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, p->category_id);
        td_bind_text(st, 2, p->category_id);
        bool found = false;
        if (sqlite3_step(st) == SQLITE_ROW) {
            td_col_copy(st, 0, p->category_id, sizeof p->category_id);
            found = true;
        }
        sqlite3_reset(st);
        if (!found)
            return bad(err, field_out, "category", _("Unknown talent category"));
    }
    return TD_OK;
}

#define PERSON_COLS                                                                                \
    "id, station_id, name, name_latin, gender, IFNULL(birth_date,''), nationality, id_type, id_no, " \
    "phone, email, IFNULL(category_id,''), employer, field, notes, created_at, updated_at, "        \
    "row_version, education, school, study_country, IFNULL(returned_on,'')"

static void read_person(sqlite3_stmt *st, td_person *p)
{
    memset(p, 0, sizeof *p);
    td_col_copy(st, 0, p->id, sizeof p->id);
    td_col_copy(st, 1, p->station_id, sizeof p->station_id);
    td_col_copy(st, 2, p->name, sizeof p->name);
    td_col_copy(st, 3, p->name_latin, sizeof p->name_latin);
    td_col_copy(st, 4, p->gender, sizeof p->gender);
    td_col_copy(st, 5, p->birth_date, sizeof p->birth_date);
    td_col_copy(st, 6, p->nationality, sizeof p->nationality);
    td_col_copy(st, 7, p->id_type, sizeof p->id_type);
    td_col_copy(st, 8, p->id_no, sizeof p->id_no);
    td_col_copy(st, 9, p->phone, sizeof p->phone);
    td_col_copy(st, 10, p->email, sizeof p->email);
    td_col_copy(st, 11, p->category_id, sizeof p->category_id);
    td_col_copy(st, 12, p->employer, sizeof p->employer);
    td_col_copy(st, 13, p->field, sizeof p->field);
    td_col_copy(st, 14, p->notes, sizeof p->notes);
    td_col_copy(st, 15, p->created_at, sizeof p->created_at);
    td_col_copy(st, 16, p->updated_at, sizeof p->updated_at);
    p->row_version = (long)sqlite3_column_int64(st, 17);
    td_col_copy(st, 18, p->education, sizeof p->education);
    td_col_copy(st, 19, p->school, sizeof p->school);
    td_col_copy(st, 20, p->study_country, sizeof p->study_country);
    td_col_copy(st, 21, p->returned_on, sizeof p->returned_on);
}

/* Finds a live person with the same identity document; fills *dup. */
static bool find_dup(td_db *db, const td_person *p, td_person *dup)
{
    sqlite3_stmt *st = td_db_prepare(db,
                                     "SELECT " PERSON_COLS " FROM persons WHERE id_type = ? AND "
                                     "id_no = ? AND deleted_at IS NULL",
                                     NULL);
    if (!st)
        return false;
    td_bind_text(st, 1, p->id_type);
    td_bind_text(st, 2, p->id_no);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        read_person(st, dup);
    sqlite3_reset(st);
    return found;
}

td_status td_person_insert(td_db *db, const td_actor *by, td_person *p, td_err *err)
{
    td_uuid7(p->id);
    td_now_utc(p->created_at);
    memcpy(p->updated_at, p->created_at, sizeof p->updated_at);
    snprintf(p->station_id, sizeof p->station_id, "%s", by->station_id);
    p->row_version = 1;
    sqlite3_stmt *st = td_db_prepare(
        db,
        "INSERT INTO persons(id, station_id, name, name_latin, gender, birth_date, nationality, "
        "id_type, id_no, phone, email, category_id, employer, field, notes, created_by, created_at, "
        "updated_at, education, school, study_country, returned_on) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, p->id);
    td_bind_text(st, 2, p->station_id);
    td_bind_text(st, 3, p->name);
    td_bind_text(st, 4, p->name_latin);
    td_bind_text(st, 5, p->gender);
    td_bind_text(st, 6, p->birth_date[0] ? p->birth_date : NULL);
    td_bind_text(st, 7, p->nationality);
    td_bind_text(st, 8, p->id_type);
    td_bind_text(st, 9, p->id_no);
    td_bind_text(st, 10, p->phone);
    td_bind_text(st, 11, p->email);
    td_bind_text(st, 12, p->category_id[0] ? p->category_id : NULL);
    td_bind_text(st, 13, p->employer);
    td_bind_text(st, 14, p->field);
    td_bind_text(st, 15, p->notes);
    td_bind_text(st, 16, by->user_id);
    td_bind_text(st, 17, p->created_at);
    td_bind_text(st, 18, p->updated_at);
    td_bind_text(st, 19, p->education);
    td_bind_text(st, 20, p->school);
    td_bind_text(st, 21, p->study_country);
    td_bind_text(st, 22, p->returned_on[0] ? p->returned_on : NULL);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("adding the person"), err);
    return td_name_fold_store(db, p->id, p->name, err); /* 陳大文 matches 陈大文 */
}

td_status td_person_add(td_db *db, const td_actor *by, td_person *p, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_PERSON_ADD, err);
    if (s)
        return s;
    if ((s = td_person_validate(db, p, NULL, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    td_person dup;
    if (find_dup(db, p, &dup)) {
        td_db_rollback(db);
        char masked[TD_IDNO_LEN];
        td_id_mask(dup.id_no, masked);
        if (td_actor_scope(by) != TD_SCOPE_ALL) /* the person may be outside by's record scope: name no one */
            return td_err_set(err, TD_ECONFLICT, _("A person with this identity document is already registered (%s)"),
                              masked);
        return td_err_set(err, TD_ECONFLICT,
                          _("A person with this identity document already exists: %s (%s)"), dup.name,
                          masked);
    }
    if ((s = td_person_insert(db, by, p, err))) {
        td_db_rollback(db);
        return s;
    }
    if ((s = td_audit(db, by, NULL, "person.add", "persons", p->id, "name", NULL, p->name, NULL, err))) {
        td_db_rollback(db);
        return s;
    }
    return td_db_commit(db, err);
}

td_status td_person_get(td_db *db, const char *key, td_person *out, td_err *err)
{
    if (!key || !*key)
        return td_err_set(err, TD_ENOTFOUND, "%s", _("No person given"));
    /* Identity numbers are stored upper-case and half-width. */
    char up[TD_IDNO_LEN];
    size_t n = 0;
    for (const char *k = key; *k && n + 1 < sizeof up; k++)
        up[n++] = (char)toupper((unsigned char)*k);
    up[n] = '\0';
    sqlite3_stmt *st = td_db_prepare(
        db,
        "SELECT " PERSON_COLS " FROM persons WHERE deleted_at IS NULL AND "
        "(id = ?1 OR id_no = ?2 OR (phone <> '' AND phone = ?1)) LIMIT 1",
        err);
    if (!st)
        return TD_EDB;
    td_bind_text(st, 1, key);
    td_bind_text(st, 2, up);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_person(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return TD_OK;
    if (rc != SQLITE_DONE)
        return td_db_fail(db, _("reading the person"), err);
    return td_err_set(err, TD_ENOTFOUND, _("No person found for '%s'"), key);
}

td_status td_person_update(td_db *db, const td_actor *by, td_person *p, td_err *err)
{
    td_status s = td_access_require(db, by, TD_ACT_PERSON_UPDATE, err);
    if (s)
        return s;
    if ((s = td_person_validate(db, p, NULL, err)))
        return s;
    if ((s = td_db_begin(db, err)))
        return s;
    td_person old;
    sqlite3_stmt *st = td_db_prepare(db, "SELECT " PERSON_COLS " FROM persons WHERE id = ?", err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, p->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_person(st, &old);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        td_db_rollback(db);
        return td_err_set(err, TD_ENOTFOUND, _("No person found for '%s'"), p->id);
    }
    if (old.row_version != p->row_version) {
        td_db_rollback(db);
        return td_err_set(err, TD_ECONFLICT, "%s",
                          _("This record was changed by someone else; please refresh and try again"));
    }
    td_person dup;
    if (find_dup(db, p, &dup) && strcmp(dup.id, p->id) != 0) {
        td_db_rollback(db);
        return td_err_set(err, TD_ECONFLICT,
                          _("A person with this identity document already exists: %s"), dup.name);
    }
    char now[TD_TS_LEN];
    td_now_utc(now);
    st = td_db_prepare(db,
                       "UPDATE persons SET name=?, name_latin=?, gender=?, birth_date=?, nationality=?, "
                       "id_type=?, id_no=?, phone=?, email=?, category_id=?, employer=?, field=?, "
                       "notes=?, updated_at=?, row_version = row_version + 1, "
                       "education=?, school=?, study_country=?, returned_on=? "
                       "WHERE id = ? AND row_version = ?",
                       err);
    if (!st) {
        td_db_rollback(db);
        return TD_EDB;
    }
    td_bind_text(st, 1, p->name);
    td_bind_text(st, 2, p->name_latin);
    td_bind_text(st, 3, p->gender);
    td_bind_text(st, 4, p->birth_date[0] ? p->birth_date : NULL);
    td_bind_text(st, 5, p->nationality);
    td_bind_text(st, 6, p->id_type);
    td_bind_text(st, 7, p->id_no);
    td_bind_text(st, 8, p->phone);
    td_bind_text(st, 9, p->email);
    td_bind_text(st, 10, p->category_id[0] ? p->category_id : NULL);
    td_bind_text(st, 11, p->employer);
    td_bind_text(st, 12, p->field);
    td_bind_text(st, 13, p->notes);
    td_bind_text(st, 14, now);
    td_bind_text(st, 15, p->education);
    td_bind_text(st, 16, p->school);
    td_bind_text(st, 17, p->study_country);
    td_bind_text(st, 18, p->returned_on[0] ? p->returned_on : NULL);
    td_bind_text(st, 19, p->id);
    sqlite3_bind_int64(st, 20, p->row_version);
    rc = sqlite3_step(st);
    int changed = sqlite3_changes(td_db_handle(db));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        s = td_db_fail(db, _("saving the person"), err);
        td_db_rollback(db);
        return s;
    }
    if (changed == 1 && (s = td_name_fold_store(db, p->id, p->name, err))) {
        td_db_rollback(db);
        return s;
    }
    if (changed != 1) {
        td_db_rollback(db);
        return td_err_set(err, TD_ECONFLICT, "%s",
                          _("This record was changed by someone else; please refresh and try again"));
    }
    const struct {
        const char *name;
        const char *o, *n;
    } fields[] = {
        { "name", old.name, p->name },
        { "name_latin", old.name_latin, p->name_latin },
        { "gender", old.gender, p->gender },
        { "birth_date", old.birth_date, p->birth_date },
        { "nationality", old.nationality, p->nationality },
        { "id_type", old.id_type, p->id_type },
        { "id_no", old.id_no, p->id_no },
        { "phone", old.phone, p->phone },
        { "email", old.email, p->email },
        { "category_id", old.category_id, p->category_id },
        { "employer", old.employer, p->employer },
        { "field", old.field, p->field },
        { "notes", old.notes, p->notes },
        { "education", old.education, p->education },
        { "school", old.school, p->school },
        { "study_country", old.study_country, p->study_country },
        { "returned_on", old.returned_on, p->returned_on },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(fields[i].o, fields[i].n) == 0)
            continue;
        if ((s = td_audit(db, by, NULL, "person.update", "persons", p->id, fields[i].name, fields[i].o,
                          fields[i].n, NULL, err))) {
            td_db_rollback(db);
            return s;
        }
    }
    if ((s = td_db_commit(db, err)))
        return s;
    p->row_version++;
    memcpy(p->updated_at, now, sizeof p->updated_at);
    return TD_OK;
}

/* A person's pinyin-order sort key (schema 009), for the small filtered lists. */
#define SORT_KEY "(SELECT k.sort_key FROM local_person_sort k WHERE k.person_id = persons.id)"

td_status td_person_list(td_db *db, const td_person_query *q,
                         int (*cb)(const td_person *p, void *ud), void *ud, td_err *err)
{
    int limit = q && q->limit > 0 ? q->limit : 100;
    int offset = q && q->offset > 0 ? q->offset : 0;
    char upper[300] = "";
    const char *prefix = q && q->name_prefix && *q->name_prefix ? q->name_prefix : NULL;
    if (prefix)
        snprintf(upper, sizeof upper, "%s\xF4\x8F\xBF\xBF", prefix);
    sqlite3_stmt *st;
    /* Each branch is a separate statement so that SQLite uses the matching
     * index (name, id_no, phone) rather than a scan. */
    if (q && q->id_no && *q->id_no) {
        st = td_db_prepare(db,
                           "SELECT " PERSON_COLS " FROM persons WHERE id_no = ? AND deleted_at IS NULL "
                           "ORDER BY " SORT_KEY ", name LIMIT ? OFFSET ?",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, q->id_no);
    } else if (q && q->phone && *q->phone) {
        st = td_db_prepare(db,
                           "SELECT " PERSON_COLS " FROM persons WHERE phone = ? AND deleted_at IS NULL "
                           "ORDER BY " SORT_KEY ", name LIMIT ? OFFSET ?",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, q->phone);
    } else if (prefix) {
        st = td_db_prepare(db,
                           "SELECT " PERSON_COLS " FROM persons WHERE name >= ?1 AND name < ?4 "
                           "AND deleted_at IS NULL ORDER BY name LIMIT ?2 OFFSET ?3",
                           err);
        if (!st)
            return TD_EDB;
        td_bind_text(st, 1, prefix);
        td_bind_text(st, 4, upper);
    } else {
        /* pinyin order (ICU zh) through the sort-key index; persons written
         * by other means than this module get their keys first */
        td_err kerr;
        (void)td_name_fold_backfill(db, &kerr); /* no-op inside a transaction */
        st = td_db_prepare(db,
                           "SELECT " PERSON_COLS " FROM local_person_sort k INDEXED BY local_person_sort_key "
                           "JOIN persons ON persons.id = k.person_id WHERE ?1 IS NULL AND deleted_at IS NULL "
                           "ORDER BY k.sort_key, k.person_id LIMIT ?2 OFFSET ?3",
                           err);
        if (!st)
            return TD_EDB;
    }
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int(st, 3, offset);
    int rc;
    td_person p;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_person(st, &p);
        if (cb(&p, ud))
            break;
    }
    sqlite3_reset(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? TD_OK : td_db_fail(db, _("listing persons"), err);
}
