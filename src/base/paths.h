/* paths.h — where the program finds its policy data and its database. */
#ifndef TD_PATHS_H
#define TD_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* Directory holding the policy files (services.tdp, calendar-2026.tdp, …):
 * $TALENTDESK_DATA if set, else data/ in the build tree (beside the
 * executable's directory), else the install prefix's share/talentdesk/data.
 * Static storage. */
const char *td_data_dir(void);

/* Default database path: $XDG_DATA_HOME/talentdesk/talentdesk.db (falling back
 * to ~/.local/share).  Creates the directory.  Writes into buf; returns buf. */
const char *td_default_db_path(char *buf, size_t len);

/* The user's private directory for db_path, made (0700, checked to be the
 * effective user's and private) when missing:
 * $XDG_RUNTIME_DIR/talentdesk/<hash of the database's real path>, else
 * /tmp/talentdesk-<uid>/<hash>.  It holds the session tokens (auth/tokenfile.h)
 * and, in the shared-server mode, the quick_check memory (dbcheck.h).
 * Writes into buf; false (buf then names the directory that failed) when it
 * cannot be made private. */
bool td_user_runtime_dir(const char *db_path, char *buf, size_t len);

#endif
