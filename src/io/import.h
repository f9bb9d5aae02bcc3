/* import.h — persons from other systems' exports (Excel CSV in GB18030 or
 * UTF-8, RFC 4180).
 *
 * The header row is mapped by Chinese or English column names (README
 * "Importing"): 姓名/name, 证件类型/id_type, 证件号码/id_no, 性别/gender,
 * 出生日期/birth_date, 国籍/nationality, 手机/手机号码/phone, 邮箱/email,
 * 人才类别/category, 工作单位/employer, 领域/field, 备注/notes, 英文名/name_latin,
 * 最高学历/学位/education, 毕业院校/school, 留学国家/study_country,
 * 回国时间/returned_on.  国籍 and 留学国家 take codes or names (中国, 英国,
 * 中国香港, United Kingdom: src/people/country.h).  A new person's degree
 * (from 最高学历) and, with a country of study other than China, the
 * returnee fact (dated 回国时间) are recorded as claimed facts
 * (src/recognition/facts.h) for a reviewer to verify.
 * Every row goes through td_person_validate (the same checks as the forms).
 * Bad rows go to a reject file in the input's encoding, with their line
 * number and the reason; good rows are committed in batches, each person with
 * an audit row.  A row whose identity document is already stored with the
 * same details is skipped, so importing a file twice adds nothing; one stored
 * with different details is rejected for a clerk to look at.  Probable
 * duplicates (same name and birth date or mobile) are imported and recorded
 * as candidates (src/people/dedupe.h).
 */
#ifndef TD_IMPORT_H
#define TD_IMPORT_H

#include "base/actor.h"
#include "base/db.h"
#include "decode.h"
#include "base/err.h"
#include "base/uuid.h"

#include <stdbool.h>

/* Field keys of td_person that a column can fill. */
typedef enum td_import_field {
    TD_IF_NONE = 0,
    TD_IF_NAME, TD_IF_NAME_LATIN, TD_IF_ID_TYPE, TD_IF_ID_NO, TD_IF_GENDER, TD_IF_BIRTH,
    TD_IF_NATIONALITY, TD_IF_PHONE, TD_IF_EMAIL, TD_IF_CATEGORY, TD_IF_EMPLOYER, TD_IF_FIELD,
    TD_IF_NOTES, TD_IF_EDUCATION, TD_IF_SCHOOL, TD_IF_STUDY_COUNTRY, TD_IF_RETURNED,
    TD_IF_COUNT
} td_import_field;

/* Maps one header cell ("姓名", " Name ", "*证件号码", "手机号码（必填）") to a field;
 * TD_IF_NONE when unknown.  Case, surrounding spaces, a leading '*' and a
 * trailing parenthesised remark are ignored. */
td_import_field td_import_map_header(const char *cell);

/* The Chinese header written for a field by exports ("姓名", …).  Static. */
const char *td_import_field_header(td_import_field f);

typedef struct td_import_opts {
    td_enc encoding;            /* TD_ENC_UNKNOWN: detect (BOM → UTF-8 → GB18030) */
    bool dry_run;               /* check everything, write nothing to the database */
    int batch;                  /* rows per transaction; 0 = 200 (with a short pause between) */
    const char *reject_path;    /* NULL: FILE with ".rejects.csv" appended */
    const char *sheet;          /* .xlsx: the sheet to read (NULL: the first) */
    /* called about every 1000 rows and at the end (may be NULL) */
    void (*progress)(void *ud, long rows, long long bytes_done, long long bytes_total);
    void *progress_ud;
} td_import_opts;

typedef struct td_import_report {
    char import_id[TD_UUID_LEN];
    td_enc encoding;
    long rows;                  /* data rows read */
    long added;
    long skipped;               /* already present with the same details */
    long rejected;
    long probable;              /* probable-duplicate candidates recorded */
    long facts;                 /* claimed facts recorded (degree, returnee) */
    char reject_path[4096];     /* "" when nothing was rejected */
    char ignored_columns[512];  /* header cells not understood, "、"-separated */
    char sha256[65];
} td_import_report;

/* Imports persons from the CSV file at path, acting as `by` (clerk, station
 * operator or admin).  New persons belong to by's station; a row whose
 * person is stored already but outside by's record scope (cases/scope.h
 * td_person_in_scope) is rejected — never changed, never counted as skipped
 * — with a reason naming nothing of the stored record.  Returns TD_OK when the file was read to the end (rows
 * may still have been rejected: see rep); TD_EINVALID when the encoding
 * cannot be told or the header lacks 姓名 or 证件号码; TD_EIO for file errors;
 * TD_EDB when a batch cannot be committed (earlier batches stay committed;
 * rep tells how far it got). */
td_status td_import_persons(td_db *db, const td_actor *by, const char *path, const td_import_opts *opts,
                            td_import_report *rep, td_err *err);

#endif
