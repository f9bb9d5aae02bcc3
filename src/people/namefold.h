/* namefold.h — traditional/simplified folding of names for matching
 * (陳大文 and 陈大文 are the same name to search and duplicate detection),
 * through ICU's "Traditional-Simplified" transliterator.  Matching keys
 * only: the legal name is never rewritten. */
#ifndef TD_NAMEFOLD_H
#define TD_NAMEFOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Writes name with every traditional character folded to its simplified
 * form into out (len bytes, always NUL-terminated, never cutting a UTF-8
 * sequence; characters ICU does not map are copied unchanged).  Returns true
 * when the folded form differs from name.  Without ICU's transliterator the
 * name is copied unchanged (false). */
bool td_name_fold(const char *name, char *out, size_t len);

#endif
