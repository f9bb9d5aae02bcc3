/* timeutil.c — see timeutil.h. */
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool td_date_valid(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1] + (m == 2 && leap(y));
    return d <= max;
}

/* Howard Hinnant's days_from_civil. */
int32_t td_date_to_days(td_date dt)
{
    int y = dt.y - (dt.m <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + dt.d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

td_date td_date_from_days(int32_t z)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    td_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = y + (r.m <= 2);
    return r;
}

int td_date_weekday(td_date d)
{
    int32_t days = td_date_to_days(d); /* 1970-01-01 was a Thursday (3) */
    int w = (int)((days % 7 + 7 + 3) % 7);
    return w;
}

int td_date_cmp(td_date a, td_date b)
{
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    if (a.m != b.m) return a.m < b.m ? -1 : 1;
    if (a.d != b.d) return a.d < b.d ? -1 : 1;
    return 0;
}

int td_age_on(td_date birth, td_date on)
{
    int age = on.y - birth.y;
    if (on.m < birth.m || (on.m == birth.m && on.d < birth.d))
        age--;
    return age;
}

void td_date_format(td_date d, char out[TD_DATE_LEN])
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
    memcpy(out, tmp, TD_DATE_LEN - 1);
    out[TD_DATE_LEN - 1] = '\0';
}

/* Folds full-width digits (U+FF10..FF19) and separators to ASCII. */
static void fold_fullwidth(const char *s, char *out, size_t len)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 1 < len) {
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
            out[o++] = (char)('0' + (p[2] - 0x90));
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x8D || p[2] == 0x8F)) {
            out[o++] = '-'; /* － ／ */
            p += 3;
        } else {
            out[o++] = (char)*p++;
        }
    }
    out[o] = '\0';
}

bool td_date_parse(const char *s, td_date *out)
{
    if (!s)
        return false;
    char buf[64];
    fold_fullwidth(s, buf, sizeof buf);
    int y, m, d, n = 0;
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == ' ')) buf[--len] = '\0';
    const char *b = buf;
    while (*b == ' ') b++;
    len = strlen(b);
    if (len == 8 && strspn(b, "0123456789") == 8) {
        if (sscanf(b, "%4d%2d%2d", &y, &m, &d) != 3)
            return false;
    } else if ((sscanf(b, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 ||
                sscanf(b, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3) && (size_t)n == len &&
               len >= 8 && len <= 10) {
        /* ok */
    } else {
        return false;
    }
    if (!td_date_valid(y, m, d))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    return true;
}

int64_t td_now_ms(void)
{
    const char *pin = getenv("TALENTDESK_NOW");
    if (pin && *pin) {
        td_date d;
        char datepart[16] = "";
        int hh = 0, mi = 0, ss = 0;
        snprintf(datepart, sizeof datepart, "%.10s", pin);
        if (td_date_parse(datepart, &d)) {
            if (strlen(pin) >= 19)
                sscanf(pin + 11, "%2d:%2d:%2d", &hh, &mi, &ss);
            else
                hh = 1; /* 09:00 in China: inside office hours */
            return ((int64_t)td_date_to_days(d) * 86400 + hh * 3600 + mi * 60 + ss) * 1000;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void td_now_utc(char out[TD_TS_LEN])
{
    int64_t ms = td_now_ms();
    int64_t secs = ms / 1000;
    int32_t days = (int32_t)(secs / 86400);
    int rem = (int)(secs % 86400);
    td_date d = td_date_from_days(days);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.y % 10000, d.m % 100,
             d.d % 100, rem / 3600 % 100, rem / 60 % 60, rem % 60, (int)(ms % 1000));
    memcpy(out, tmp, TD_TS_LEN - 1);
    out[TD_TS_LEN - 1] = '\0';
}

td_date td_today(void)
{
    int64_t secs = td_now_ms() / 1000 + 8 * 3600;
    return td_date_from_days((int32_t)(secs / 86400));
}

void td_ts_local(const char *utc, char *out, size_t len)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h, mi, sec = 0;
    if (!utc || sscanf(utc, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 5) {
        snprintf(out, len, "%.16s", utc ? utc : "");
        return;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    struct tm lt;
    /* no TZ given: the counters' zone, as td_today (a server's system zone is
     * often UTC, which would put the times a day behind the header's date) */
    const char *tz = getenv("TZ");
    bool china = !tz || !*tz;
    if (china && t != (time_t)-1)
        t += 8 * 3600;
    if (t == (time_t)-1 || !(china ? gmtime_r(&t, &lt) : localtime_r(&t, &lt))) {
        snprintf(out, len, "%.16s", utc);
        return;
    }
    strftime(out, len, "%Y-%m-%d %H:%M", &lt);
}
