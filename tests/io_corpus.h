/* io_corpus.h — locating ../shared/corpora for the import/export tests.
 * The corpora live beside the checkout (CI and /work/main) or two levels up
 * (a worktree under wt/); $TD_SHARED overrides. */
#ifndef TD_IO_CORPUS_H
#define TD_IO_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

/* Writes the path of shared/<rel> into buf and returns buf. */
static inline const char *io_shared(const char *rel, char *buf, size_t len)
{
    const char *env = getenv("TD_SHARED");
    if (env && *env) {
        snprintf(buf, len, "%s/%s", env, rel);
        return buf;
    }
    snprintf(buf, len, "%s/../shared/%s", td_test_src_dir(), rel);
    if (access(buf, R_OK) == 0)
        return buf;
    snprintf(buf, len, "%s/../../shared/%s", td_test_src_dir(), rel);
    return buf;
}

/* Reads a whole file (NUL-terminated); NULL when absent. */
static inline char *io_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        fclose(f);
        return NULL;
    }
    b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

#endif
