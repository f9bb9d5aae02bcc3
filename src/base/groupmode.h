/* groupmode.h — the shared-server install: many clerks, one database.
 *
 * In this mode (README "多人共用一台服务器") the database, its -wal/-shm files
 * and the key files belong to the `talentdesk` group (database 0660, keys
 * 0640, state directory not writable by clerks), and the program is installed
 * set-group-id to that group, so that a clerk's own Unix account cannot open
 * the file with sqlite3 but the program can.  The mode is in force when
 *   - the program runs set-group-id (getegid() != getgid() at start), or
 *   - an installed configuration file exists: TD_SYSCONFDIR/talentdesk/
 *     talentdesk.conf, else <executable>/../etc/talentdesk/talentdesk.conf
 *     (a DESTDIR or /usr/local install).  Its one setting: `db = PATH`
 *     (absolute); without the file the database is TD_STATEDIR/talentdesk.db.
 *     The file and every directory above it must be owned by root and not
 *     writable by group or others (sticky directories such as /tmp excepted),
 *     or the program refuses to start.
 *
 * The group privilege is dropped at start (setegid(getgid())) and taken back
 * only while the database and its own files are opened or made
 * (td_group_raise): files a user names — imports, exports, scripts, backups —
 * are opened with the user's own rights.  Environment that would point the
 * program elsewhere is refused (td_group_refused_env) and environment that
 * ncurses, gettext and iconv ignore for privileged programs is removed.
 */
#ifndef TD_GROUPMODE_H
#define TD_GROUPMODE_H

#include <stdbool.h>
#include <stddef.h>

#ifndef TD_SYSCONFDIR
#define TD_SYSCONFDIR "/etc"
#endif
#ifndef TD_STATEDIR
#define TD_STATEDIR "/var/lib/talentdesk"
#endif

/* Detects the mode, drops the group privilege, reads the configuration and
 * sanitises the environment (see above).  Call first thing in main, before
 * td_i18n_init.  Returns 0; -1 when the configuration file is unsafe or
 * malformed (td_group_problem() says why; the program must refuse to run,
 * exit code 4).  Safe to call more than once (later calls do nothing). */
int td_group_init(void);

/* True when the shared-server mode is in force (after td_group_init). */
bool td_group_mode(void);

/* The database path of the mode (configured or TD_STATEDIR/talentdesk.db);
 * "" outside the mode.  Static storage. */
const char *td_group_db_path(void);

/* The configuration file in force, "" when none.  Static storage. */
const char *td_group_conf_path(void);

/* Why td_group_init returned -1: an English format with one %s (the
 * path), untranslated (translate with _() at the point of display). */
const char *td_group_problem(void);
const char *td_group_problem_path(void);

/* The first TALENTDESK_* variable that td_group_init found set and refused
 * (TALENTDESK_DB, TALENTDESK_DATA, TALENTDESK_LOCALEDIR, TALENTDESK_NOW,
 * …), NULL when none or outside the mode.  Refused variables are removed
 * from the environment, so nothing later reads them. */
const char *td_group_refused_env(void);

/* True when the real user is the installation's administrator: root, or the
 * owner of the database file.  Always true outside the mode. */
bool td_group_admin(void);

/* Takes the group privilege back when path is the mode's database or one of
 * its own files ("<db>", "<db>-wal", "<db>.key", "<db>.keys",
 * "<db>.prints/…"); returns whether it did.  Pass the result to
 * td_group_lower.  Outside the mode, or for any other path, does nothing. */
bool td_group_raise(const char *path);
void td_group_lower(bool raised); /* nests: the privilege goes at the outermost */

/* Whether path is the mode's database or one of its own files (as above). */
bool td_group_owns(const char *path);

/* The permission bits for a file of the database (0660 for the database in
 * the mode, 0640 for a key file in the mode, `otherwise` outside it or for
 * other paths). */
unsigned td_group_file_mode(const char *path, unsigned otherwise);

#endif
