/* keys.h — a station's sync keys and the peers it exchanges bundles with.
 *
 * Each place holds an Ed25519 signing key pair and a separate X25519
 * encryption key pair (libsodium).  The secret keys live in a file beside the
 * database, "<database>.keys", readable only by its owner (0600), written
 * atomically; the public halves are also kept in settings (sync_sign_pk,
 * sync_box_pk).  A "station card" is the public part, one line of text:
 *     TDCARD1 <station id> <station code> <sign pk hex> <box pk hex>
 * exchanged when HQ enrols a station and the station enrols HQ.
 */
#ifndef TD_SYNC_KEYS_H
#define TD_SYNC_KEYS_H

#include "base/db.h"
#include "base/err.h"
#include "base/uuid.h"

#include <sodium.h>
#include <stdbool.h>

typedef struct td_sync_keys {
    unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sign_sk[crypto_sign_SECRETKEYBYTES];
    unsigned char box_pk[crypto_box_PUBLICKEYBYTES];
    unsigned char box_sk[crypto_box_SECRETKEYBYTES];
} td_sync_keys;

typedef struct td_sync_peer {
    char station_id[TD_UUID_LEN];
    char code[12];
    unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char box_pk[crypto_box_PUBLICKEYBYTES];
    bool revoked;
    long sent_seq, acked_seq, recv_seq;
    char last_bundle_hash[129];
} td_sync_peer;

/* Writes "<database file>.keys" into buf (false for an in-memory database or
 * when it does not fit). */
bool td_sync_keys_path(td_db *db, char *buf, size_t len);

/* Makes the key pairs of this database (needs a local station) and stores
 * them (file 0600 + public halves in settings).  TD_ECONFLICT when keys
 * exist already. */
td_status td_sync_keys_create(td_db *db, td_err *err);

/* Loads this database's keys; TD_ENOTFOUND (Chinese message naming
 * `talentdesk sync keys`) when none were made; TD_EIO/TD_EINVALID when the file
 * is unreadable or damaged.  Wipe with sodium_memzero after use. */
td_status td_sync_keys_load(td_db *db, td_sync_keys *out, td_err *err);

/* Writes this station's card to path (atomically).  TD_ENOTFOUND without keys. */
td_status td_sync_card_write(td_db *db, const char *path, td_err *err);

/* Reads the card at path and enrols (or updates the keys of) that peer.  A
 * card of this very station is refused (TD_EINVALID).  Fills code_out. */
td_status td_sync_peer_add(td_db *db, const char *path, char code_out[12], td_err *err);

/* The same for one card line already read. */
td_status td_sync_peer_add_line(td_db *db, const char *line, char code_out[12], td_err *err);

/* Marks the peer revoked: its bundles are refused from now on. */
td_status td_sync_peer_revoke(td_db *db, const char *code, td_err *err);

/* Loads a peer by station code.  TD_ENOTFOUND with a Chinese message. */
td_status td_sync_peer_get(td_db *db, const char *code, td_sync_peer *out, td_err *err);

/* Hex helpers: td_sync_hex writes 2n+1 bytes; td_sync_unhex returns false
 * unless s is exactly 2n hex digits. */
void td_sync_hex(const unsigned char *b, size_t n, char *out);
bool td_sync_unhex(const char *s, unsigned char *out, size_t n);

#endif
