/* uuid.c — see uuid.h. */
#include "uuid.h"
#include "timeutil.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int td_crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void td_uuid7(char out[TD_UUID_LEN])
{
    static int64_t last_ms = -1;
    static uint16_t seq = 0;
    unsigned char b[16];
    int64_t ms = td_now_ms();
    randombytes_buf(b, sizeof b);
    if (ms <= last_ms) {
        ms = last_ms;
        seq++;
        if (seq > 0x0FFF) { /* counter exhausted: borrow the next millisecond */
            ms++;
            seq = 0;
        }
    } else {
        seq = (uint16_t)(((b[6] << 8) | b[7]) & 0x03FF); /* random start, room to grow */
    }
    last_ms = ms;
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | ((seq >> 8) & 0x0F));
    b[7] = (unsigned char)(seq & 0xFF);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, TD_UUID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

int td_uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
