/* i18n.h — gettext for the core and both front ends.
 *
 * Every user-visible string is written as _("English text") and translated by
 * the catalogue locale/zh_CN.po.  Chinese is the default language; English is
 * chosen with --lang en or TALENTDESK_LANG=en.  Tables of strings use N_() and
 * translate at the point of display with _().
 */
#ifndef TD_I18N_H
#define TD_I18N_H

#include <libintl.h>

#define TD_TEXTDOMAIN "talentdesk"
#define _(s) dgettext(TD_TEXTDOMAIN, s)
#define N_(s) (s)

/* Chooses the language and binds the catalogue.
 *   lang: "zh_CN", "en", or NULL for the default (TALENTDESK_LANG, else zh_CN).
 *   localedir: directory holding <lang>/LC_MESSAGES/talentdesk.mo, or NULL to
 *   search next to the executable (build tree) and then the install prefix.
 * Makes sure LC_CTYPE is a UTF-8 locale (falls back to C.UTF-8), because the
 * text module and ncursesw need one.  Returns 0, or -1 when no UTF-8 locale
 * could be set (callers that draw must then refuse to start). */
int td_i18n_init(const char *lang, const char *localedir);

/* The language in force after td_i18n_init: "zh_CN" or "en". */
const char *td_i18n_lang(void);

/* Directory containing the running executable (no trailing slash), or "."
 * when it cannot be determined.  Static storage. */
const char *td_exe_dir(void);

#endif
