/* mask.c — see mask.h. */
#include "mask.h"
#include "idcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned see_roles[TD_PII_COUNT] = {
    [TD_PII_ID] = 0,
    [TD_PII_PHONE] = TD_ROLE_CLERK | TD_ROLE_SPECIALIST | TD_ROLE_ADMIN,
    [TD_PII_SALARY] = TD_ROLE_REVIEWER | TD_ROLE_APPROVER | TD_ROLE_ADMIN,
};

bool td_may_see(const td_actor *a, td_pii kind)
{
    return (unsigned)kind < TD_PII_COUNT && td_actor_has(a, see_roles[kind]);
}

bool td_may_see_phone(const td_actor *a)
{
    return td_may_see(a, TD_PII_PHONE);
}

void td_phone_mask(const char *phone, char *out, size_t len)
{
    if (!len)
        return;
    size_t n = phone ? strlen(phone) : 0, o = 0;
    size_t keep_head = n > 8 ? 3 : 0, keep_tail = n > 8 ? 4 : 2;
    if (phone && phone[0] == '+' && n > 8)
        keep_head = 4;
    for (size_t i = 0; i < n && o + 1 < len; i++)
        out[o++] = (i < keep_head || i + keep_tail >= n) ? phone[i] : '*';
    out[o] = '\0';
}

void td_pii_mask(td_pii kind, const char *value, char *out, size_t len)
{
    if (!len)
        return;
    if (!value || !*value) {
        out[0] = '\0';
        return;
    }
    switch (kind) {
    case TD_PII_ID: {
        char m[TD_IDNO_LEN];
        td_id_mask(value, m);
        snprintf(out, len, "%s", m);
        return;
    }
    case TD_PII_PHONE:
        td_phone_mask(value, out, len);
        return;
    default:
        snprintf(out, len, "%s", "******");
        return;
    }
}

const char *td_pii_view(const td_actor *a, td_pii kind, const char *value, char *buf, size_t len)
{
    if (!value)
        return "";
    if (td_may_see(a, kind))
        return value;
    td_pii_mask(kind, value, buf, len);
    return buf;
}

bool td_fact_is_salary(const char *name)
{
    return name && strcmp(name, "annual_salary") == 0;
}

char *td_salary_mask_text(const td_actor *a, const char *s)
{
    static const char key[] = "annual_salary=";
    size_t n = s ? strlen(s) : 0, k = sizeof key - 1;
    char *out = malloc(n * 2 + 8); /* each amount becomes at most "******" longer than its "=" */
    if (!out)
        abort();
    size_t o = 0;
    bool mask = !td_may_see(a, TD_PII_SALARY);
    for (size_t i = 0; i < n;) {
        if (mask && strncmp(s + i, key, k) == 0) {
            memcpy(out + o, key, k);
            o += k;
            i += k;
            size_t j = i;
            while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == ','))
                j++;
            if (j > i) {
                memcpy(out + o, "******", 6);
                o += 6;
                i = j;
            }
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = '\0';
    return out;
}

void td_salary_mask_buf(const td_actor *a, char *s, size_t len)
{
    if (!s || !len || td_may_see(a, TD_PII_SALARY))
        return;
    char *m = td_salary_mask_text(a, s);
    snprintf(s, len, "%s", m);
    free(m);
}
