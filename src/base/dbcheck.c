/* dbcheck.c — see dbcheck.h. */
#include "dbcheck.h"
#include "atomicfile.h"
#include "groupmode.h"
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "talentdesk-quick-check 1"

/* Where the memory of dbpath lives: "<db>.checked" beside the database; in
 * the shared-server mode, where the state directory (2750 root) lets only
 * root create files, ".checked" in the user's own private runtime directory
 * (paths.h td_user_runtime_dir).  That file belongs to the user, who can
 * write it: a forged memory only lets the user's own process skip its own
 * safety check before writing (a corrupt file is still found by the next
 * process of another user, and by `talentdesk check`); it vouches for
 * nothing else and holds no secret. */
static bool memo_path(const char *dbpath, char *buf, size_t len)
{
    if (td_group_mode()) {
        char dir[4096];
        if (!td_user_runtime_dir(dbpath, dir, sizeof dir))
            return false;
        int n = snprintf(buf, len, "%s/.checked", dir);
        return n > 0 && (size_t)n < len;
    }
    int n = snprintf(buf, len, "%s.checked", dbpath);
    return n > 0 && (size_t)n < len;
}

bool td_dbfp_read(const char *path, td_dbfp *fp)
{
    struct stat sb;
    memset(fp, 0, sizeof *fp);
    bool raised = td_group_raise(path); /* the shared-server mode: the state directory is the group's */
    int rc = stat(path, &sb);
    td_group_lower(raised);
    if (rc != 0 || !S_ISREG(sb.st_mode))
        return false;
    fp->dev = (unsigned long long)sb.st_dev;
    fp->ino = (unsigned long long)sb.st_ino;
    fp->size = (long long)sb.st_size;
    fp->mtime_s = (long long)sb.st_mtim.tv_sec;
    fp->mtime_ns = (long long)sb.st_mtim.tv_nsec;
    fp->ctime_s = (long long)sb.st_ctim.tv_sec;
    fp->ctime_ns = (long long)sb.st_ctim.tv_nsec;
    return true;
}

bool td_dbfp_equal(const td_dbfp *a, const td_dbfp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s &&
           a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s && a->ctime_ns == b->ctime_ns;
}

bool td_dbcheck_cached(const char *dbpath, const td_dbfp *fp, time_t *checked_at)
{
    char p[4200], line[300];
    if (!memo_path(dbpath, p, sizeof p))
        return false;
    FILE *f = fopen(p, "r");
    if (!f)
        return false;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    td_dbfp m;
    long long at;
    char tail;
    ok = ok && sscanf(line, MAGIC " %llu %llu %lld %lld %lld %lld %lld %lld%c", &m.dev, &m.ino, &m.size, &m.mtime_s,
                      &m.mtime_ns, &m.ctime_s, &m.ctime_ns, &at, &tail) == 9 && tail == '\n';
    if (!ok || !td_dbfp_equal(&m, fp))
        return false;
    time_t now = time(NULL);
    if (at > (long long)now || (long long)now - at >= TD_DBCHECK_MAX_AGE)
        return false;
    *checked_at = (time_t)at;
    return true;
}

/* The later of the file's two stamps, in ns since the epoch. */
static long long newest_ns(const td_dbfp *fp)
{
    long long m = fp->mtime_s * 1000000000LL + fp->mtime_ns, c = fp->ctime_s * 1000000000LL + fp->ctime_ns;
    return m > c ? m : c;
}

void td_dbcheck_remember(const char *dbpath, time_t checked_at)
{
    char p[4200];
    td_dbfp first, again;
    if (!memo_path(dbpath, p, sizeof p) || !td_dbfp_read(dbpath, &first))
        return;
    time_t was;
    if (td_dbcheck_cached(dbpath, &first, &was) && was == checked_at)
        return; /* recorded already: the file did not change (another connection kept it from a checkpoint) */
    if (first.mtime_ns == 0 && first.ctime_ns == 0)
        return; /* whole-second stamps: a change within the second would look the same */
    /* The kernel stamps files from its coarse clock: once that clock is past
     * the file's stamps, any later change gets a different one. */
    struct timespec res, now;
    if (clock_getres(CLOCK_REALTIME_COARSE, &res) != 0 || res.tv_sec > 0)
        return;
    long long tick = res.tv_nsec > 0 ? res.tv_nsec : 1;
    for (int i = 0;; i++) {
        if (clock_gettime(CLOCK_REALTIME_COARSE, &now) != 0)
            return;
        if ((long long)now.tv_sec * 1000000000LL + now.tv_nsec > newest_ns(&first) + tick)
            break;
        if (i == 50)
            return;
        struct timespec d = { 0, tick < 1000000 ? 1000000 : tick };
        nanosleep(&d, NULL);
    }
    if (!td_dbfp_read(dbpath, &again) || !td_dbfp_equal(&first, &again))
        return;
    td_afile a;
    td_err err;
    td_err_clear(&err);
    if (td_afile_open(&a, p, 0600, &err) != TD_OK)
        return;
    fprintf(td_afile_stream(&a), MAGIC " %llu %llu %lld %lld %lld %lld %lld %lld\n", again.dev, again.ino,
            again.size, again.mtime_s, again.mtime_ns, again.ctime_s, again.ctime_ns, (long long)checked_at);
    td_afile_commit(&a, &err);
}

void td_dbcheck_forget(const char *dbpath)
{
    char p[4200];
    if (memo_path(dbpath, p, sizeof p))
        unlink(p);
}
