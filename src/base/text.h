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

/* Display width of one code point after sanitising (0 for combining marks,
 * 2 for wide CJK, ambiwidth for ambiguous characters that glibc counts as 1).
 * Characters td_text_sanitize replaces count as the width of their visible
 * replacement: 2 for C0/DEL ("^["), 8–10 for "<U+202E>"-style escapes.
 * Surrogates and values beyond U+10FFFF count as U+FFFD. */
int td_text_cp_width(uint32_t cp);

/* Display width of a UTF-8 string as td_text_sanitize would print it
 * (always exactly the columns the sanitised string occupies).  Invalid bytes
 * count as the replacement character U+FFFD (1 column, or 2 when ambiwidth
 * is 2, U+FFFD being ambiguous).  NULL counts as "". */
int td_text_width(const char *s);

/* Display width of the first len bytes of s (stops early at a NUL), as
 * td_text_width counts them: for a cursor after len bytes of a field. */
int td_text_width_n(const char *s, size_t len);

/* Writes into out (capacity outlen bytes, always NUL-terminated when
 * outlen > 0) the sanitised form of s fitted to exactly `cols` display
 * columns:
 *  - never splits a character (nor a "<U+202E>" escape); a wide character
 *    or escape that would straddle the edge is replaced by spaces;
 *  - pads with spaces to exactly cols columns (fit("一二三", 5) == "一二 ");
 *  - when `ellipsis` is true and s is too wide, the text that fits in
 *    cols - 1 columns is followed by "…" (or "~" when ambiwidth is 2, so
 *    the edge stays exact), then the padding: fit("一二三", 4, true) ==
 *    "一… ".
 * Returns the number of columns written: exactly cols whenever outlen >=
 * cols + 4 (text that would not fit in outlen bytes is cut earlier, at a
 * character boundary, and the field still padded to cols columns); fewer
 * only when outlen cannot even hold the padding; 0 and "" when cols <= 0.
 * 4 * strlen(s) + cols + 8 bytes always hold the whole fitted text. */
int td_text_fit(const char *s, int cols, bool ellipsis, char *out, size_t outlen);

/* Like td_text_fit but pads on the left (right-aligned numbers); text too
 * wide is cut on the right without ellipsis.  Same return value and room
 * rules (exactly cols columns whenever outlen >= cols + 1). */
int td_text_fit_right(const char *s, int cols, char *out, size_t outlen);

/* Copies s into out making it safe for any terminal.  Replaced, by visible
 * ASCII (see text.c for the table):
 *  - C0 controls (tab and newline too) and DEL by caret notation: "^[", "^I",
 *    "^J", "^?" (2 columns);
 *  - C1 controls (U+0080–U+009F), bidi embeddings/overrides/isolates/marks
 *    (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width and
 *    all other format characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD,
 *    tags U+E0000…), U+2028/U+2029, invisible fillers (U+3164…),
 *    noncharacters and code points the C library cannot display (wcwidth
 *    -1, e.g. unassigned) by "<U+XXXX>" (4–6 hex digits, e.g. "<U+202E>");
 *  - each invalid UTF-8 byte (lone surrogates and overlong forms included)
 *    by U+FFFD;
 *  - a combining mark at the very start gets a space in front of it.
 * The output is valid UTF-8 and contains no byte < 0x20 and no 0x7F.
 * Sanitising sanitised text changes nothing.  Output is NUL-terminated
 * (when outlen > 0) and cut at a character boundary if outlen is too small;
 * 4 * strlen(s) + 2 bytes always suffice (or td_text_sanitized_size).
 * Returns the number of bytes written (excluding NUL). */
size_t td_text_sanitize(const char *s, char *out, size_t outlen);

/* As td_text_sanitize but keeps '\n' (and turns "\r\n" into "\n") for
 * multi-line notices printed on the CLI. */
size_t td_text_sanitize_multiline(const char *s, char *out, size_t outlen);

/* Bytes (including the NUL) that td_text_sanitize (multiline false) or
 * td_text_sanitize_multiline (true) needs for the whole of s. */
size_t td_text_sanitized_size(const char *s, bool multiline);

/* True when code point cp is one td_text_sanitize replaces by a visible
 * escape because a terminal could act on it or would not show it: C0/C1
 * controls, DEL, bidi controls, zero-width and other format or invisible
 * characters, noncharacters.  Used by output paths that escape instead of
 * replacing (the CLI's JSON writes these as \uXXXX). */
bool td_text_cp_unsafe(uint32_t cp);

/* True when s is valid UTF-8 with no character td_text_sanitize would change
 * (what input validation of stored fields requires): false for controls
 * (tab and newline too), C1, bidi, zero-width/format and invisible
 * characters, noncharacters, unassigned code points and a leading combining
 * mark.  One deliberate exception: a character ICU knows but the C library's
 * tables do not yet (e.g. CJK Extension H on glibc 2.36, which rare name
 * characters need) is clean, though td_text_sanitize shows it as "<U+XXXX>"
 * because ncursesw could not draw it.  NULL counts as "" (clean). */
bool td_text_is_clean(const char *s);

/* Input normalisation for names and free text typed by a clerk or imported:
 * validates UTF-8, converts to NFC (ICU), removes zero-width/format
 * characters (U+200B, U+200E–U+200F, U+200C/U+200D except inside a word,
 * U+202A–U+202E, U+2060–U+2069, U+FEFF, U+00AD,
 * and every other format character or invisible filler that
 * td_text_sanitize would show as "<U+XXXX>"), folds ideographic space
 * U+3000, tab, newline and every other Unicode white space, and runs of
 * them, to one ASCII space, trims both ends.  Noncharacters and code points
 * unknown to the C library are kept (stored as entered; shown escaped).
 * NFC, not NFKC: full-width letters stay as typed.  Idempotent.
 * Returns a newly allocated string (caller frees with free()), or NULL when
 * s is NULL, not valid UTF-8, or contains a control character (C0, DEL, C1)
 * other than white space (the caller rejects the input with a clear
 * message). */
char *td_text_normalize(const char *s);

/* What td_text_normalize_ex changed (or-ed into *changes). */
enum {
    TD_TN_INVISIBLE = 1, /* zero-width, format or bidi characters removed */
    TD_TN_SPACE = 2,     /* white space folded, collapsed or trimmed */
    TD_TN_NFC = 4,       /* composed to NFC */
};

/* As td_text_normalize, and sets *changes (when not NULL) to what was
 * changed, 0 when the result equals s.  U+200C/U+200D between two visible
 * characters are kept: they are spelling (Persian, Indic, emoji sequences);
 * elsewhere they are removed like the other zero-width characters. */
char *td_text_normalize_ex(const char *s, unsigned *changes);

/* A translated sentence telling the clerk what was changed and why, into buf
 * ("" for 0).  Returns buf. */
const char *td_text_describe_changes(unsigned changes, char *buf, size_t len);

/* Number of code points in valid UTF-8 s (invalid bytes count one each). */
size_t td_text_length(const char *s);

/* Decodes one code point from s (at most len bytes).  Returns the number of
 * bytes consumed (>= 1) and stores the code point in *cp, or U+FFFD with
 * return 1 for an invalid or truncated sequence.  Returns 0 at len == 0. */
int td_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp as UTF-8 into out (4 bytes room); returns the byte count. */
int td_utf8_encode(uint32_t cp, char out[4]);

/* Cursor movement by whole characters: a character is a code point (or an
 * invalid byte) together with the zero-width combining marks after it, so
 * the cursor never lands between "e" and U+0301.
 * td_text_next_char: offset just after the character starting at or
 * containing off (strlen(s) at the end).  td_text_prev_char: offset where
 * the character ending at off starts (0 at the start).  NULL counts as "". */
size_t td_text_next_char(const char *s, size_t off);
size_t td_text_prev_char(const char *s, size_t off);

/* Byte offset in s of the character that starts at or after display
 * column col (for cursor placement); strlen(s) when beyond the end. */
size_t td_text_offset_for_col(const char *s, int col);

/* Breaks s into lines of at most `cols` display columns (cols < 1 counts as
 * 1) and calls line_cb(line, len, ud) for each, in order.  The text is first
 * sanitised as by td_text_sanitize_multiline, so each line is safe to print;
 * `line` points into a temporary buffer valid only during the call, is NOT
 * NUL-terminated, holds `len` bytes and never ends with a space.
 *  - '\n' ends a line ("a\n\nb" gives "a", "", "b"; a final '\n' starts no
 *    further line; "" gives no line at all; "\n" gives one empty line);
 *  - lines break at ICU line-break opportunities (UAX #14): after spaces in
 *    Latin text (the spaces at the break are dropped), between any two CJK
 *    characters and between CJK and Latin, not before closing punctuation
 *    such as "，。）" nor after opening "（《";
 *  - a word wider than cols is cut at a character boundary (never inside a
 *    character, never before a combining mark; a "<U+202E>" escape is plain
 *    ASCII and may be cut); a single wide character with cols == 1 gets a
 *    line of its own (2 columns: the one case a line is wider than cols).
 * line_cb may be NULL (just count).  When line_cb returns non-zero wrapping
 * stops after that line.  Returns the number of lines delivered. */
int td_text_wrap(const char *s, int cols, int (*line_cb)(const char *line, size_t len, void *ud),
                 void *ud);

#endif
