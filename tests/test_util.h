/* test_util.h — shared set-up for the cmocka tests.
 *
 * Every test binary includes <cmocka.h> after the standard headers it needs
 * and calls td_test_init() first in main().  Tests use an in-memory database
 * (td_test_db) unless they test files or processes on purpose.
 */
#ifndef TD_TEST_UTIL_H
#define TD_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"

/* Chinese messages from the build tree's catalogue, UTF-8 locale, libsodium,
 * TALENTDESK_DATA pointing at the source tree's data/. */
void td_test_init(void);

/* Source and build directories (absolute). */
const char *td_test_src_dir(void);
const char *td_test_build_dir(void);
/* Writes the path of tests/corpora/<rel> (the vendored third-party corpora,
 * tests/corpora/README.md) into buf (len bytes) and returns buf.  Never looks
 * outside the checkout. */
const char *td_test_corpus(const char *rel, char *buf, size_t len);

/* A fresh migrated in-memory database.  Fails the test on error. */
td_db *td_test_db(void);

/* A fresh migrated in-memory database with data/ loaded (when the policy
 * loader exists, see td_test_db_loaded in test_util.c), a station "CQ" and
 * users: admin (admin), clerk1 + clerk2 (clerk), reviewer1 (reviewer),
 * approver1 (approver), signer_rsj + signer_kjj (signer, departments rsj and
 * kjj), spec1 (specialist), approver2, station1 (station operator at LDN) —
 * the demo users of src/setup/demo.h — and their actors via td_test_actor(). */
td_db *td_test_db_loaded(void);

/* Loads the actor for username; fails the test when absent. */
td_actor td_test_actor(td_db *db, const char *username);

/* A temporary file path under $TMPDIR, unique per call (caller frees). */
char *td_test_tmpfile(const char *suffix);

/* Asserts that a status is TD_OK, printing err's message when not. */
#define assert_td_ok(expr, errp)                                                                   \
    do {                                                                                           \
        td_status s__ = (expr);                                                                    \
        if (s__ != TD_OK)                                                                          \
            fail_msg("%s -> %d: %s", #expr, (int)s__, (errp)->msg);                                \
    } while (0)

/* Asserts `a OP b` on integers (any integer type, compared as long long) and
 * on failure says what was expected and what each side was. */
#define assert_cmp(a, op, b)                                                                       \
    do {                                                                                           \
        long long a__ = (long long)(a), b__ = (long long)(b);                                      \
        if (!(a__ op b__))                                                                         \
            fail_msg("expected %s %s %s, got %lld %s %lld", #a, #op, #b, a__, #op, b__);           \
    } while (0)

/* Asserts that the NUL-terminated string hay contains needle; on failure
 * prints the needle and (the start of) hay. */
#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        const char *h__ = (hay), *n__ = (needle);                                                  \
        if (!h__ || !strstr(h__, n__))                                                             \
            fail_msg("expected %s to contain \"%s\", got: \"%.600s\"", #hay, n__,                   \
                     h__ ? h__ : "(null)");                                                        \
    } while (0)

#endif
