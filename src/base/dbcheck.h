/* dbcheck.h — remembering that a database file passed PRAGMA quick_check,
 * so that the check before a command's first write (db.h,
 * TD_DB_CHECK_WRITES) runs once per change of the file, not once per
 * command (about 0.4 s at 200k persons).
 *
 * The memory is the file "<db>.checked" beside the database (written
 * atomically, owner-only; in the shared-server mode ".checked" in the user's
 * private runtime directory, see dbcheck.c): the main file's identity and change stamps —
 * device, inode, size, mtime and ctime to the nanosecond — and when the
 * check last ran.  It is trusted only while all of these are unchanged and
 * the check is younger than TD_DBCHECK_MAX_AGE.  Anything that changes the
 * file outside this program (a copy, a restore, dd, a truncation, another
 * SQLite program's checkpoint, a touch) changes ctime, which no one can set
 * back, so the next write checks again.  Changes this program makes itself
 * after a check passed (its own checkpoints, and the one at close) are
 * re-stamped by td_db_close, after waiting for the clock to pass the file's
 * stamps so that a later change cannot carry the same stamp.  The WAL file is
 * not part of the key: SQLite checksums its frames and stops at the first bad
 * one, so damage there loses the newest transactions but cannot give
 * quick_check anything to find.  Silent media damage changes no stamp at all;
 * TD_DBCHECK_MAX_AGE bounds how long it can go unseen by this check (and
 * `talentdesk check` runs the full integrity_check on demand).
 *
 * Used by db.c only.
 */
#ifndef TD_DBCHECK_H
#define TD_DBCHECK_H

#include <stdbool.h>
#include <time.h>

#define TD_DBCHECK_MAX_AGE (24 * 3600) /* seconds: a quick_check at least once a day per database */

/* The main file's identity and change stamps. */
typedef struct td_dbfp {
    unsigned long long dev, ino;
    long long size;
    long long mtime_s, mtime_ns, ctime_s, ctime_ns;
} td_dbfp;

/* Fills *fp from stat(2) of path; false when it cannot be read. */
bool td_dbfp_read(const char *path, td_dbfp *fp);

/* True when a and b are the same stamps of the same file. */
bool td_dbfp_equal(const td_dbfp *a, const td_dbfp *b);

/* True when "<dbpath>.checked" records a passed check of exactly fp, made
 * less than TD_DBCHECK_MAX_AGE ago (and not in the future); *checked_at is
 * then that time (UTC seconds).  False on any doubt: no file, unreadable,
 * malformed, another file, too old. */
bool td_dbcheck_cached(const char *dbpath, const td_dbfp *fp, time_t *checked_at);

/* Records that dbpath, as it is now, carries the check made at checked_at:
 * waits (at most ~50 ms) until the clock has passed the file's stamps, stats
 * it again, and writes "<dbpath>.checked" only when the stamps are still
 * those first seen and fine-grained (a file system with whole-second stamps
 * is never remembered).  Best effort: any failure leaves no memory, and the
 * next write checks. */
void td_dbcheck_remember(const char *dbpath, time_t checked_at);

/* Removes "<dbpath>.checked" (after a failed check, or with the database). */
void td_dbcheck_forget(const char *dbpath);

#endif
