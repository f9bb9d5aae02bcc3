/* atomicfile.h — every file the program writes is complete or absent.
 *
 * A file is written to a temporary file in the same directory as its target
 * (so that rename(2) is atomic), flushed and fsynced, and renamed over the
 * target only when the writer commits; the directory is fsynced after the
 * rename so the new name survives a power cut.  On any failure, or when the
 * writer aborts, the temporary is removed and an existing target is left
 * exactly as it was.
 *
 *     td_afile a;
 *     if ((s = td_afile_open(&a, path, 0600, err)))  return s;
 *     fputs("…", td_afile_stream(&a));               // or write to td_afile_tmp_path(&a)
 *     return td_afile_commit(&a, err);               // or td_afile_abort(&a)
 *
 * A target that exists and is not a regular file (a character device such as
 * /dev/null or /dev/stdout, a FIFO) is written in place — never replaced by
 * a rename.  A symbolic link is followed: the file it names is replaced.
 *
 * Libraries that insist on writing to a path themselves (libxlsxwriter,
 * cairo) are given td_afile_tmp_path(): close the library's handle first,
 * then commit.
 */
#ifndef TD_ATOMICFILE_H
#define TD_ATOMICFILE_H

#include "err.h"

#include <stdio.h>
#include <sys/types.h>

typedef struct td_afile {
    FILE *f;          /* open stream on the temporary, NULL once closed */
    char *path;       /* target path (owned) */
    char *tmp;        /* temporary path (owned), "<dir>/.<name>.XXXXXX" */
    int direct;       /* the target is a device or FIFO (/dev/null, /dev/stdout): written in place */
} td_afile;

/* Creates the temporary beside path with permission bits `mode` (before the
 * umask is applied; 0600 for personal data) and opens it for writing.
 * TD_EIO with the path and the system's reason when the directory cannot be
 * written.  On success the caller must end with td_afile_commit or
 * td_afile_abort. */
td_status td_afile_open(td_afile *a, const char *path, mode_t mode, td_err *err);

/* The stream to write to (binary; never NULL between open and commit). */
FILE *td_afile_stream(td_afile *a);

/* The temporary's path, for libraries that write to a path themselves. */
const char *td_afile_tmp_path(const td_afile *a);

/* Closes the stream if still open, fsyncs the temporary, renames it over
 * the target and fsyncs the directory.  Any failure (including an earlier
 * write error on the stream, e.g. a full disk) removes the temporary, leaves
 * the target untouched and returns TD_EIO naming the file.  Frees *a in all
 * cases. */
td_status td_afile_commit(td_afile *a, td_err *err);

/* Discards the temporary; the target is untouched.  Frees *a.  Safe to call
 * on a zeroed or already finished td_afile. */
void td_afile_abort(td_afile *a);

#endif
