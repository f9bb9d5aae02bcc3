/* io_corpus.h — the vendored corpora (tests/corpora/) for the import/export
 * tests, and reading a whole file. */
#ifndef TD_IO_CORPUS_H
#define TD_IO_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

/* Writes the path of tests/corpora/<rel> into buf and returns buf. */
static inline const char *io_corpus(const char *rel, char *buf, size_t len)
{
    return td_test_corpus(rel, buf, len);
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
