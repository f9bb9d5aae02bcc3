/* decode.h — bytes from other systems' files to UTF-8, without guessing wrong.
 *
 * Detection order (../shared/docs/pitfalls.md "CSV from Excel"): a BOM
 * (UTF-8, UTF-16LE/BE) → strict UTF-8 → GB18030 → unknown (the caller asks the
 * clerk for --encoding).  UTF-8 text is never taken for GB18030: UTF-8 Chinese
 * decodes as GB18030 without error into mojibake, so GB18030 is tried only
 * when the bytes are not UTF-8.  "GBK", "GB2312", "CP936" name GB18030, its
 * superset.
 *
 * Decoding is streaming.  GB18030 and UTF-16 go through iconv (one converter
 * everywhere); UTF-8 is checked by a strict validator (glibc's iconv lets
 * 5-byte forms and code points above U+10FFFF through).  An invalid sequence
 * is never dropped silently (no //IGNORE): it becomes U+FFFD in the output and
 * an event (td_dec_event) records its file offset and line, so the caller can
 * reject the record holding it.  A file that ends inside a character gets a
 * TD_DEC_TRUNCATED event.  Private-use code points after decoding (e.g. U+E816
 * where GB18030-2005 and -2022 disagree) get a TD_DEC_PRIVATE_USE event.
 * A leading UTF-8 BOM is stripped (glibc would keep it as U+FEFF).
 */
#ifndef TD_DECODE_H
#define TD_DECODE_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum td_enc {
    TD_ENC_UNKNOWN = 0,
    TD_ENC_UTF8,      /* no BOM */
    TD_ENC_UTF8_BOM,  /* UTF-8 with EF BB BF (Excel "CSV UTF-8") */
    TD_ENC_GB18030,   /* also GBK / GB2312 / CP936 */
    TD_ENC_UTF16LE,   /* with BOM FF FE (Excel "Unicode text") */
    TD_ENC_UTF16BE    /* with BOM FE FF */
} td_enc;

/* Display name: "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE",
 * or a translated "unknown".  Static storage. */
const char *td_enc_name(td_enc e);

/* Parses a user's --encoding value, case-insensitively: utf-8/utf8,
 * utf-8-bom/utf8bom, gb18030, gbk, gb2312, cp936, utf-16le, utf-16be.
 * Returns false for anything else. */
bool td_enc_parse(const char *s, td_enc *out);

/* Statistics gathered by detection. */
typedef struct td_enc_guess {
    td_enc enc;
    size_t bom_len;        /* bytes of BOM at the start */
    size_t utf8_multibyte; /* well-formed multi-byte UTF-8 sequences seen */
    size_t utf8_invalid;   /* ill-formed UTF-8 sequences seen */
    size_t gb_invalid;     /* iconv EILSEQ count as GB18030 (when tried) */
    bool truncated;        /* the data ends inside a character */
} td_enc_guess;

/* Detects the encoding of a complete buffer (see the order above).  A buffer
 * that is UTF-8 except for a few ill-formed sequences among many well-formed
 * multi-byte ones (≥ 8 : 1) is still UTF-8 — its bad rows are rejected later —
 * because such text is certainly not GB18030.  Pure ASCII is UTF-8. */
td_enc_guess td_enc_detect(const unsigned char *buf, size_t len);

/* Same for a whole seekable file; the position is restored.  TD_EIO when the
 * file cannot be read or is not seekable. */
td_status td_enc_detect_file(FILE *f, td_enc_guess *out, td_err *err);

typedef enum td_dec_kind {
    TD_DEC_INVALID = 1,     /* bytes that are not a character of the encoding */
    TD_DEC_TRUNCATED,       /* the input ends inside a character */
    TD_DEC_PRIVATE_USE      /* a private-use code point (U+E000–F8FF, planes 15–16) */
} td_dec_kind;

typedef struct td_dec_event {
    td_dec_kind kind;
    size_t out_pos;         /* offset in the decoded output where it shows */
    size_t in_off;          /* byte offset in the input file */
    long line;              /* physical line (1-based) in the decoded text */
    uint32_t cp;            /* the code point for TD_DEC_PRIVATE_USE */
    unsigned char bytes[4]; /* the first offending input bytes */
    int nbytes;
} td_dec_event;

typedef struct td_decoder td_decoder;

/* Opens a decoder reading f (borrowed; the caller closes it) from its current
 * position as encoding enc.  With TD_ENC_UNKNOWN the file is detected first
 * (td_enc_detect_file); if it still cannot be told, TD_EINVALID asks for an
 * explicit encoding.  The BOM of the chosen encoding is skipped.  Free with
 * td_decoder_free. */
td_status td_decoder_open(FILE *f, td_enc enc, td_decoder **out, td_err *err);

/* A decoder over a memory buffer (borrowed), with enc as above. */
td_status td_decoder_open_mem(const char *buf, size_t len, td_enc enc, td_decoder **out, td_err *err);

void td_decoder_free(td_decoder *d);

/* The encoding in use. */
td_enc td_decoder_encoding(const td_decoder *d);

/* Reads up to cap bytes of UTF-8 into buf; *got = 0 at the end.  Matches
 * td_csv_read_fn, so a decoder feeds the CSV reader directly.  TD_EIO on a
 * read error.  Decoding problems are not errors here: see the events. */
td_status td_decoder_read(void *d, char *buf, size_t cap, size_t *got, td_err *err);

/* The first recorded event whose out_pos lies in [from, to), copied to *out.
 * Returns false when none. */
bool td_decoder_event_in(const td_decoder *d, size_t from, size_t to, td_dec_event *out);

/* Forgets events before out_pos `pos` (keeps memory bounded on long files). */
void td_decoder_forget(td_decoder *d, size_t pos);

/* Total events recorded so far (including forgotten ones). */
size_t td_decoder_event_count(const td_decoder *d);

/* Input bytes consumed so far. */
size_t td_decoder_in_pos(const td_decoder *d);

/* Formats an event for a reject report or status line, e.g.
 * "第 12 行（文件偏移 3456）：无效的字节 0xFF 0x20（GB18030）".  Returns buf. */
const char *td_dec_event_describe(const td_decoder *d, const td_dec_event *e, char *buf, size_t len);

/* Decodes a whole buffer strictly: any event is an error (TD_EINVALID with
 * the description of the first one).  *out is malloc'ed, NUL-terminated
 * (*outlen excludes the NUL).  enc TD_ENC_UNKNOWN detects. */
td_status td_decode_all(const char *buf, size_t len, td_enc enc, char **out, size_t *outlen, td_err *err);

/* True when buf[0..len) is well-formed UTF-8 (no surrogates, no overlong
 * forms, nothing above U+10FFFF). */
bool td_utf8_valid(const char *buf, size_t len);

/* True for a private-use code point. */
bool td_cp_private_use(uint32_t cp);

#endif
