/* termkeys.h — the key sequences of common terminals, whatever terminfo
 * says.  With TERM=xterm-256color inside tmux, under PuTTY's defaults, on
 * the Linux console or in rxvt, Home/End/F-keys arrive as sequences the
 * terminfo entry does not list (ESC[1~, ESC[4~, ESC[7~, ESC[8~, ESC[H,
 * ESCOH, ESC[[A …); curses then hands them over byte by byte and the ESC
 * reads as Esc (back, cancel).  As tig and mc do, the sequences are taught to
 * curses (define_key), and whatever still arrives as ESC followed by a
 * sequence — a sequence split by the network or one with modifiers — is
 * parsed here, so a partial sequence is never taken for Esc. */
#ifndef UI_TERMKEYS_H
#define UI_TERMKEYS_H

#include "ui.h"

/* Teaches the current curses screen every sequence of the table
 * (define_key).  Call after keypad(TRUE). */
void ui_termkeys_define(void);

/* The key a complete sequence (starting with ESC) stands for, with xterm
 * modifier parameters (ESC[1;5H, ESC[3;2~) ignored; UI_KEY_NONE when the
 * sequence is not known. */
ui_key ui_termkeys_lookup(const char *seq, size_t len);

/* Reads the rest of a sequence after an ESC already read.  next(ud,
 * timeout_ms) returns the next byte/character, or -1 when none arrives in
 * time; back(ud, c) gives one back to be read again.  Returns:
 *   27           a bare Esc (nothing followed in time);
 *   a key        the sequence was known (Home, End, F6 …);
 *   UI_KEY_NONE  a well-formed but unknown sequence (swallowed whole, never
 *                Esc);
 * ESC followed by anything that starts no sequence gives 27 and leaves that
 * character to be read next (Alt-x stays harmless). */
ui_key ui_termkeys_after_esc(int (*next)(void *ud, int timeout_ms), void (*back)(void *ud, int c), void *ud);

/* How long (ms) to wait for the rest of a sequence after ESC. */
#define UI_TERMKEYS_WAIT_MS 80

#endif
