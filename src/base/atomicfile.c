/* atomicfile.c — write to a temporary, fsync, rename (see atomicfile.h). */
#include "atomicfile.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void afile_free(td_afile *a)
{
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    a->f = NULL;
    a->direct = 0;
}

/* dirname() and basename() may modify their argument: work on copies. */
static char *dir_of(const char *path)
{
    char *c = strdup(path);
    if (!c)
        return NULL;
    char *d = strdup(dirname(c));
    free(c);
    return d;
}

static char *base_of(const char *path)
{
    char *c = strdup(path);
    if (!c)
        return NULL;
    char *b = strdup(basename(c));
    free(c);
    return b;
}

static td_status afile_open_regular(td_afile *a, const char *path, mode_t mode, td_err *err);

td_status td_afile_open(td_afile *a, const char *path, mode_t mode, td_err *err)
{
    memset(a, 0, sizeof *a);
    if (!path || !*path)
        return td_err_set(err, TD_EUSAGE, _("no file name given"));
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
        /* a device or FIFO: renaming over it would replace, e.g., /dev/null
         * (a directory goes the normal way: the rename fails, nothing changes) */
        a->path = strdup(path);
        a->tmp = strdup(path);
        a->f = a->path && a->tmp ? fopen(path, "wb") : NULL;
        if (!a->f) {
            int e = errno;
            afile_free(a);
            return td_err_set(err, TD_EIO, _("cannot write %s: %s"), path, strerror(e));
        }
        a->direct = 1;
        return TD_OK;
    }
    char *real = NULL;
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (real = realpath(path, NULL)))
        path = real; /* replace the file the link names, keep the link */
    td_status rs = afile_open_regular(a, path, mode, err);
    free(real);
    return rs;
}

static td_status afile_open_regular(td_afile *a, const char *path, mode_t mode, td_err *err)
{
    char *dir = dir_of(path), *base = base_of(path);
    a->path = strdup(path);
    a->direct = 0;
    if (!dir || !base || !a->path) {
        free(dir);
        free(base);
        afile_free(a);
        return td_err_set(err, TD_ENOMEM, _("out of memory"));
    }
    size_t n = strlen(dir) + strlen(base) + 16;
    a->tmp = malloc(n);
    if (!a->tmp) {
        free(dir);
        free(base);
        afile_free(a);
        return td_err_set(err, TD_ENOMEM, _("out of memory"));
    }
    snprintf(a->tmp, n, "%s/.%s.XXXXXX", dir, base);
    free(dir);
    free(base);
    int fd = mkostemp(a->tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        td_err_set(err, TD_EIO, _("cannot write %s: %s"), path, strerror(e));
        afile_free(a);
        return TD_EIO;
    }
    /* mkostemp creates 0600; widen to the requested mode under the umask. */
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, mode & ~um & 07777) != 0 || !(a->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(a->tmp);
        td_err_set(err, TD_EIO, _("cannot write %s: %s"), path, strerror(e));
        afile_free(a);
        return TD_EIO;
    }
    return TD_OK;
}

FILE *td_afile_stream(td_afile *a)
{
    return a->f;
}

const char *td_afile_tmp_path(const td_afile *a)
{
    return a->tmp;
}

static void fsync_dir_of(const char *path)
{
    char *dir = dir_of(path);
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: some file systems refuse it */
        close(fd);
    }
}

td_status td_afile_commit(td_afile *a, td_err *err)
{
    if (!a->tmp)
        return td_err_set(err, TD_EIO, _("file already closed"));
    int e = 0;
    if (a->direct) {
        if (ferror(a->f) || fflush(a->f) != 0)
            e = errno ? errno : EIO;
        if (fclose(a->f) != 0 && !e)
            e = errno ? errno : EIO;
        a->f = NULL;
        if (e)
            td_err_set(err, TD_EIO, _("cannot write %s: %s"), a->path, strerror(e));
        afile_free(a);
        return e ? TD_EIO : TD_OK;
    }
    if (a->f) {
        if (ferror(a->f))
            e = EIO;
        if (fflush(a->f) != 0 && !e)
            e = errno ? errno : EIO;
        if (!e && fsync(fileno(a->f)) != 0)
            e = errno;
        if (fclose(a->f) != 0 && !e)
            e = errno ? errno : EIO;
        a->f = NULL;
    } else {
        /* written by a library through the path: sync it by name */
        int fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            e = errno ? errno : EIO;
        if (fd >= 0)
            close(fd);
    }
    if (!e && rename(a->tmp, a->path) != 0)
        e = errno;
    if (e) {
        unlink(a->tmp);
        td_err_set(err, TD_EIO, _("cannot write %s: %s"), a->path, strerror(e));
        afile_free(a);
        return TD_EIO;
    }
    fsync_dir_of(a->path);
    afile_free(a);
    return TD_OK;
}

void td_afile_abort(td_afile *a)
{
    if (!a)
        return;
    if (a->f)
        fclose(a->f);
    if (a->tmp && !a->direct)
        unlink(a->tmp);
    afile_free(a);
}
