/* test_atomicfile.c — a file is complete or absent: commit replaces the
 * target whole, abort and failures leave the old file and no temporary. */
#include "test_util.h"
#include "base/atomicfile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/td-afile-%d-XXXXXX", (int)getpid());
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Names in g_dir other than the ones the test made: leftover temporaries. */
static int count_entries(void)
{
    DIR *d = opendir(g_dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void commit_replaces_whole(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/out.csv", g_dir);
    write_file(path, "keep\n");
    td_afile a;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_afile_open(&a, path, 0600, &err), TD_OK);
    fputs("姓名,证件号码\n", td_afile_stream(&a));
    /* until the commit the old file is what a reader sees */
    assert_string_equal(read_file(path), "keep\n");
    assert_int_equal(count_entries(), 2);
    assert_int_equal(td_afile_commit(&a, &err), TD_OK);
    assert_string_equal(read_file(path), "姓名,证件号码\n");
    assert_int_equal(count_entries(), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void abort_keeps_old(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/out.csv", g_dir);
    write_file(path, "keep\n");
    td_afile a;
    assert_int_equal(td_afile_open(&a, path, 0644, NULL), TD_OK);
    fputs("half a fi", td_afile_stream(&a));
    td_afile_abort(&a);
    assert_string_equal(read_file(path), "keep\n");
    assert_int_equal(count_entries(), 1);
    td_afile_abort(&a); /* twice is harmless */
}

static void failed_rename_keeps_target(void **state)
{
    (void)state;
    /* the target is a non-empty directory: rename fails; nothing changes */
    char path[128], inner[160];
    snprintf(path, sizeof path, "%s/target", g_dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(inner, sizeof inner, "%s/x", path);
    write_file(inner, "inside\n");
    td_afile a;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_afile_open(&a, path, 0600, &err), TD_OK);
    fputs("data", td_afile_stream(&a));
    assert_int_equal(td_afile_commit(&a, &err), TD_EIO);
    assert_non_null(strstr(err.msg, "target"));
    assert_string_equal(read_file(inner), "inside\n");
    assert_int_equal(count_entries(), 1); /* no temporary left */
}

static void missing_directory(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/out.csv", g_dir);
    td_afile a;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_afile_open(&a, path, 0600, &err), TD_EIO);
    assert_non_null(strstr(err.msg, "out.csv"));
    assert_int_equal(td_afile_open(&a, "", 0600, &err), TD_EUSAGE);
}

static void library_writes_by_path(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/book.xlsx", g_dir);
    td_afile a;
    assert_int_equal(td_afile_open(&a, path, 0640, NULL), TD_OK);
    /* a library opens the temporary by name and writes it; we close ours */
    fclose(td_afile_stream(&a));
    a.f = NULL;
    write_file(td_afile_tmp_path(&a), "PK\x03\x04");
    assert_null(read_file(path));
    assert_int_equal(td_afile_commit(&a, NULL), TD_OK);
    assert_string_equal(read_file(path), "PK\x03\x04");
    assert_int_equal(count_entries(), 1);
}

static void full_disk_keeps_old(void **state)
{
    (void)state;
    /* /dev/full fails every write with ENOSPC: the stream's error reaches
     * commit, which must refuse.  Simulated by pointing the stream at it. */
    char path[128];
    snprintf(path, sizeof path, "%s/out.csv", g_dir);
    write_file(path, "keep\n");
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    td_afile a;
    td_err err;
    td_err_clear(&err);
    assert_int_equal(td_afile_open(&a, path, 0600, &err), TD_OK);
    fclose(a.f);
    a.f = full;
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", td_afile_stream(&a));
    assert_int_equal(td_afile_commit(&a, &err), TD_EIO);
    assert_string_equal(read_file(path), "keep\n");
    assert_int_equal(count_entries(), 1);
}

int main(void)
{
    td_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(commit_replaces_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_keeps_old, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_rename_keeps_target, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(library_writes_by_path, setup, teardown),
        cmocka_unit_test_setup_teardown(full_disk_keeps_old, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
