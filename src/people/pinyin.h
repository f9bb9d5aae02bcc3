/* pinyin.h — pinyin of Chinese names for search (张三 → "zhangsan", "zs"),
 * through ICU's "Han-Latin/Names" transliterator, which knows the surname
 * readings (曾 zēng, 单 shàn, 仇 qiú, 解 xiè).  Search keys only: the legal
 * name is never rewritten. */
#ifndef TD_PINYIN_H
#define TD_PINYIN_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the toneless lower-case pinyin of name without spaces into full
 * and the first letter of each syllable into initials.  Characters that have
 * no reading (punctuation) are left out; a variant form ICU has no reading
 * for is read as its standard character (𠮷 as 吉: "ji").  Returns false when name has no
 * Han character (nothing worth indexing) or ICU is unavailable. */
bool td_pinyin(const char *name, char *full, size_t full_len, char *initials, size_t ini_len);

#endif
