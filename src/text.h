/* text.h — the only module that counts display columns.
 *
 * Everything that measures, truncates, pads or sanitises text for a terminal
 * (TUI or CLI table output) goes through here; nothing else counts columns.
 * Widths follow the C library's wcwidth() in a UTF-8 LC_CTYPE (which is what
 * ncursesw uses), with East Asian ambiguous-width characters optionally
 * counted as 2 (td_text_set_ambiwidth).  All strings are UTF-8.
 */
#ifndef TD_TEXT_H
#define TD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sets how East Asian Ambiguous characters (“ ” — · … ① …) are counted:
 * 1 (default, like glibc) or 2 (like many Chinese terminals). */
void td_text_set_ambiwidth(int w);
int td_text_ambiwidth(void);

/* Display width of one code point after sanitising (0 for combining marks
 * and zero-width characters, 2 for wide CJK, ambiwidth for ambiguous).
 * Control characters count as the width of their visible replacement. */
int td_text_cp_width(uint32_t cp);

/* Display width of a UTF-8 string as td_text_sanitize would print it.
 * Invalid bytes count as the replacement character U+FFFD (width 1). */
int td_text_width(const char *s);

/* Writes into out (capacity outlen bytes, always NUL-terminated) the
 * sanitised form of s fitted to exactly `cols` display columns:
 *  - never splits a character; a wide character that would straddle the
 *    edge is replaced by a space;
 *  - pads with spaces to exactly cols columns (fit("一二三", 5) == "一二 ");
 *  - when `ellipsis` is true and s is too wide, ends with "…" (or "~" when
 *    ambiwidth is 2, so the edge stays exact).
 * Returns the number of columns written (== cols unless outlen was too small,
 * in which case the output is cut at a character boundary). */
int td_text_fit(const char *s, int cols, bool ellipsis, char *out, size_t outlen);

/* Like td_text_fit but pads on the left (right-aligned numbers). */
int td_text_fit_right(const char *s, int cols, char *out, size_t outlen);

/* Copies s into out making it safe for any terminal: C0 controls (except
 * none: tab and newline too are replaced), DEL, C1 controls (U+0080–U+009F),
 * bidi embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069,
 * U+200E/U+200F, U+061C), zero-width and format characters (U+200B–U+200D,
 * U+2060, U+FEFF, U+00AD), lone surrogates, noncharacters and invalid UTF-8
 * are replaced: controls by a visible escape like "^[" / "<U+202E>"…
 * (see text.c for the exact forms), invalid bytes by U+FFFD.  Output is
 * NUL-terminated and cut at a character boundary if outlen is too small.
 * Returns the number of bytes written (excluding NUL). */
size_t td_text_sanitize(const char *s, char *out, size_t outlen);

/* As td_text_sanitize but keeps '\n' (for multi-line notices printed on the
 * CLI). */
size_t td_text_sanitize_multiline(const char *s, char *out, size_t outlen);

/* True when s is valid UTF-8 with no character td_text_sanitize would change
 * (what input validation of stored fields requires). */
bool td_text_is_clean(const char *s);

/* Input normalisation for names and free text typed by a clerk or imported:
 * validates UTF-8, converts to NFC (ICU), removes zero-width/format
 * characters (U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF, U+00AD),
 * folds ideographic space U+3000 and runs of whitespace to one ASCII space,
 * trims both ends.  Returns a newly allocated string (caller frees with free())
 * or NULL when s is not valid UTF-8 or contains a control character other
 * than whitespace (the caller rejects the input with a clear message). */
char *td_text_normalize(const char *s);

/* Number of code points in valid UTF-8 s (invalid bytes count one each). */
size_t td_text_length(const char *s);

/* Decodes one code point from s (at most len bytes).  Returns the number of
 * bytes consumed (>= 1) and stores the code point in *cp, or U+FFFD with
 * return 1 for an invalid or truncated sequence.  Returns 0 at len == 0. */
int td_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp as UTF-8 into out (4 bytes room); returns the byte count. */
int td_utf8_encode(uint32_t cp, char out[4]);

/* Byte offset in s of the character that starts at or after display
 * column col (for cursor placement); strlen(s) when beyond the end. */
size_t td_text_offset_for_col(const char *s, int col);

#endif
