/* uuid.h — primary keys made offline: UUIDv7 (RFC 9562), 36 characters,
 * time-ordered so that B-tree inserts stay local, random enough that two
 * stations can never collide.  Requires td_crypto_init() (libsodium). */
#ifndef TD_UUID_H
#define TD_UUID_H

#define TD_UUID_LEN 37 /* 36 characters + NUL */

/* Writes a new lowercase UUIDv7 into out.  Monotonic within a process: two
 * calls in the same millisecond still sort in call order. */
void td_uuid7(char out[TD_UUID_LEN]);

/* True when s has the 8-4-4-4-12 lowercase-hex shape. */
int td_uuid_valid(const char *s);

/* Initialises libsodium once; safe to call many times.  Returns 0, or -1 when
 * the random source is unusable (callers abort: no safe keys can be made). */
int td_crypto_init(void);

#endif
