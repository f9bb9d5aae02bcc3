/* mask.c — see mask.h. */
#include "mask.h"

#include <stdio.h>
#include <string.h>

bool td_may_see_phone(const td_actor *a)
{
    return td_actor_has(a, TD_ROLE_CLERK | TD_ROLE_SPECIALIST | TD_ROLE_ADMIN);
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
