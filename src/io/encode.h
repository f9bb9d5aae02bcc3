/* encode.h — UTF-8 out to the encodings other systems read: GB18030 (Chinese
 * Excel's "CSV", also read as GBK where every character fits), UTF-8 with a
 * BOM (Excel "CSV UTF-8"), plain UTF-8.
 *
 * GB18030 covers all of Unicode (4-byte sequences for what GBK lacks, e.g.
 * 𠮷 U+20BB7 → 95 32 82 36), so a valid UTF-8 text always converts and a name
 * outside GBK survives a GB18030 round trip exactly.  Conversion goes through
 * iconv; invalid UTF-8 input is an error, never skipped.
 */
#ifndef TD_ENCODE_H
#define TD_ENCODE_H

#include "decode.h"
#include "base/err.h"

#include <stdio.h>

typedef struct td_encoder td_encoder;

/* Opens an encoder writing to f (borrowed) in enc: TD_ENC_UTF8,
 * TD_ENC_UTF8_BOM (the BOM is written first), TD_ENC_GB18030, TD_ENC_UTF16LE
 * (BOM written).  TD_EINVALID for TD_ENC_UNKNOWN.  Free with td_encoder_close. */
td_status td_encoder_open(FILE *f, td_enc enc, td_encoder **out, td_err *err);

/* Converts and writes n bytes of UTF-8.  The text may be split anywhere
 * between calls (an incomplete character is carried over).  TD_EINVALID when
 * the input is not UTF-8, TD_EIO on a write error. */
td_status td_encoder_write(td_encoder *e, const char *utf8, size_t n, td_err *err);

/* Flushes, checks nothing is left half-written (TD_EINVALID when the text
 * ended inside a character) and frees e (NULL is fine).  Does not close f. */
td_status td_encoder_close(td_encoder *e, td_err *err);

/* Converts a whole UTF-8 string to enc into a new buffer (*out malloc'ed,
 * NUL-terminated, *outlen without the NUL; includes the BOM for BOM
 * encodings). */
td_status td_encode_all(const char *utf8, size_t n, td_enc enc, char **out, size_t *outlen, td_err *err);

#endif
