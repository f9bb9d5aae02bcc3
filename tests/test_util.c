/* test_util.c — see test_util.h. */
#include "test_util.h"
#include "base/i18n.h"
#include "base/uuid.h"
#include "setup/demo.h"
#include "setup/policy_load.h"
#include "setup/setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TD_SOURCE_DIR
#define TD_SOURCE_DIR "."
#endif
#ifndef TD_BUILD_DIR
#define TD_BUILD_DIR "build"
#endif

const char *td_test_src_dir(void) { return TD_SOURCE_DIR; }
const char *td_test_build_dir(void) { return TD_BUILD_DIR; }

const char *td_test_corpus(const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s/tests/corpora/%s", TD_SOURCE_DIR, rel);
    return buf;
}

void td_test_init(void)
{
    static char data[4096];
    snprintf(data, sizeof data, "%s/data", TD_SOURCE_DIR);
    setenv("TALENTDESK_DATA", data, 1);
    setenv("TZ", "UTC", 1);
    char loc[4096];
    snprintf(loc, sizeof loc, "%s/locale", TD_BUILD_DIR);
    td_i18n_init("zh_CN", loc);
    if (td_crypto_init() != 0) {
        fprintf(stderr, "libsodium init failed\n");
        exit(1);
    }
}

td_db *td_test_db(void)
{
    td_db *db = NULL;
    td_err err;
    td_err_clear(&err);
    if (td_db_open(":memory:", &db, &err) != TD_OK) {
        fail_msg("td_db_open(:memory:): expected TD_OK, got: %s", err.msg);
    }
    return db;
}

char *td_test_tmpfile(const char *suffix)
{
    static int n;
    const char *dir = getenv("TMPDIR");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/td-test-%d-%d%s", dir && *dir ? dir : "/tmp", (int)getpid(), ++n,
             suffix ? suffix : "");
    unlink(buf);
    return strdup(buf);
}

td_actor td_test_actor(td_db *db, const char *username)
{
    td_actor a;
    td_err err;
    td_err_clear(&err);
    memset(&a, 0, sizeof a);
    if (td_actor_load(db, username, &a, &err) != TD_OK) {
        fail_msg("td_actor_load(%s): expected the user to exist, got: %s", username, err.msg);
    }
    return a;
}

td_db *td_test_db_loaded(void)
{
    td_db *db = td_test_db();
    td_err err;
    td_err_clear(&err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data", TD_SOURCE_DIR);
    if (td_policy_load_all(db, dir, NULL, &err) != TD_OK ||
        td_setup_local_station(db, "CQ", "重庆市留学回国人员一站式服务窗口", "hq", &err) != TD_OK ||
        td_demo_users(db, &err) != TD_OK) {
        fail_msg("td_test_db_loaded: expected data/ to load, got: %s", err.msg);
    }
    return db;
}
