/* bundle.h — the sync bundle file: one format in both directions.
 *
 *   "TDSB1\n"                                 magic and format version
 *   u32 n, n bytes                             header, JSON (td_bundle_hdr)
 *   u32 80, crypto_box_seal(stream key)        sealed to the recipient's X25519 key
 *   24 bytes                                   secretstream header
 *   (u32 n, n bytes)…                          secretstream chunks of the (zlib) payload, each
 *                                              bound to BLAKE2b(header) as additional
 *                                              data; the last carries TAG_FINAL
 *   64 bytes                                   Ed25519ph signature of everything before
 *
 * (u32 = 4 bytes, big-endian.)  Reading checks the signature against the
 * sender's enrolled key before anything is decrypted, then decrypts the whole
 * payload and insists on the final tag at the very end: a flipped bit, a cut
 * file, another recipient or another sender is refused as a whole.
 */
#ifndef TD_SYNC_BUNDLE_H
#define TD_SYNC_BUNDLE_H

#include "keys.h"

#include <stddef.h>

#define TD_BUNDLE_FORMAT 1

typedef struct td_bundle_hdr {
    int format;
    char id[TD_UUID_LEN];        /* bundle id (UUIDv7) */
    char from[12], to[12];       /* station codes */
    char from_id[TD_UUID_LEN];   /* sender's station id */
    long seq_lo, seq_hi;         /* the sender's sequence range covered */
    long count;                  /* operations in the payload */
    long ack;                    /* the recipient's ops the sender has applied, up to */
    int schema;                  /* sender's schema version */
    char prev[65];               /* the bundle this one follows: the previous one made for this recipient
                                  * (--new), else the last one the recipient acknowledged; "" for none */
    char ack_hash[65];           /* hash of the recipient's newest bundle the sender applied ("" = none) */
    char policy[TD_UUID_LEN];    /* newest policy version loaded at the sender, "" if none */
    char audit_anchor[72];       /* newest audit hash of the sender's own chain ("k1:…", "" when none) */
    long audit_seq;              /* its sequence number (0 when none) */
    char made_at[32];
    char compress[8];            /* "zlib": the payload was deflated before it was encrypted; "" = as is */
    long plain_len;              /* the payload's length before compression */
} td_bundle_hdr;

/* Writes header h and payload (len bytes) to path atomically, signed with
 * me and encrypted to to_box_pk; the payload is compressed with zlib first
 * (the header written says "compress": "zlib" and its plain length, whatever
 * h holds there).  Fills hash_out with the file's BLAKE2b-256
 * (hex).  TD_EIO on write errors (the target is untouched). */
td_status td_bundle_write(const char *path, const td_bundle_hdr *h, const char *payload, size_t len,
                          const td_sync_keys *me, const unsigned char *to_box_pk, char hash_out[65], td_err *err);

/* A bundle read into memory. */
typedef struct td_bundle_file {
    unsigned char *data;
    size_t len;
    size_t hdr_off, hdr_len;     /* the header JSON inside data */
    td_bundle_hdr hdr;           /* parsed, not yet trusted */
    char hash[65];               /* BLAKE2b-256 of the whole file, hex */
} td_bundle_file;

/* Reads path and parses its header (untrusted until td_bundle_open).
 * TD_EIO when unreadable; TD_EINVALID (Chinese message) when it is not a
 * bundle, is cut short or has an unknown format.  Free with td_bundle_free. */
td_status td_bundle_read(const char *path, td_bundle_file *bf, td_err *err);

/* Verifies the signature with sign_pk, decrypts with me, inflates a
 * compressed payload to exactly its stated length (at most 1 GiB), and
 * returns the whole payload in *payload (malloc'd, NUL-terminated; caller frees).
 * TD_EINVALID with a Chinese message on a bad signature, wrong recipient,
 * damaged or truncated payload; nothing is returned then. */
td_status td_bundle_open(const td_bundle_file *bf, const unsigned char *sign_pk, const td_sync_keys *me,
                         char **payload, size_t *len, td_err *err);

void td_bundle_free(td_bundle_file *bf);

#endif
