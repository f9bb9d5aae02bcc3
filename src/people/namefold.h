/* namefold.h — traditional/simplified folding of names for matching
 * (陳大文 and 陈大文 are the same name to search and duplicate detection),
 * through ICU's "Traditional-Simplified" transliterator.  Matching keys
 * only: the legal name is never rewritten. */
#ifndef TD_NAMEFOLD_H
#define TD_NAMEFOLD_H

#include "base/db.h"
#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes name with every traditional character folded to its simplified
 * form into out (len bytes, always NUL-terminated, never cutting a UTF-8
 * sequence; characters ICU does not map are copied unchanged).  Returns true
 * when the folded form differs from name.  Without ICU's transliterator the
 * name is copied unchanged (false). */
bool td_name_fold(const char *name, char *out, size_t len);

/* Writes the ICU "zh" (pinyin order) collation sort key of name into buf
 * (cap bytes) and returns its length (0 when ICU has no collator or the key
 * does not fit).  Keys compare with memcmp, as SQLite compares BLOBs. */
int td_name_sort_key(const char *name, unsigned char *buf, int cap);

/* Keeps the name keys of one person: the folded key (table
 * local_person_fold), stored when folding changes the name and removed
 * otherwise, and the pinyin-order sort key (local_person_sort).  Called
 * inside the caller's write transaction wherever a person's name is
 * written (src/people/person.c).  TD_EDB on error (err set). */
td_status td_name_fold_store(td_db *db, const char *person_id, const char *name, td_err *err);

/* Name keys for persons older than the keys (added before schema 009):
 * every person past the watermark settings.fold_rowid.  Own transaction;
 * no-op inside one or when there is nothing to do. */
td_status td_name_fold_backfill(td_db *db, td_err *err);

/* The SQL that finds persons whose folded name is ?1, for duplicate checks
 * and EXPLAIN QUERY PLAN tests (through local_person_fold_fold). */
extern const char td_name_fold_sql[];

#endif
