/* pdf.h — a td_printdoc as an A4 PDF (cairo + pango).  The text is set in a
 * CJK font found through fontconfig (WenQuanYi Micro Hei from Debian's
 * fonts-wqy-microhei, or Noto Sans CJK / WenQuanYi Zen Hei when installed)
 * and embedded as a subset, so the file prints and copies as Chinese text
 * anywhere; the QR code is drawn as black squares on white with a 4-module
 * quiet zone. */
#ifndef TD_PRINT_PDF_H
#define TD_PRINT_PDF_H

#include "printdoc.h"

/* Writes the PDF to path atomically (a temporary beside it, renamed when
 * complete; base/atomicfile.h).  TD_EIO naming the file when it cannot be
 * written; TD_EINVALID when a QR payload is too long.  Nothing is left
 * behind on failure. */
td_status td_printdoc_pdf(const td_printdoc *d, const char *path, td_err *err);

/* The font family list used (for messages and tests). */
const char *td_print_font_family(void);

#endif
