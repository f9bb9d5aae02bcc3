/* chart.c — see chart.h. */
#include "chart.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

bool ui_chart_ascii(void)
{
    const char *e = getenv("TALENTDESK_ASCII");
    if (e && *e && strcmp(e, "0") != 0)
        return true;
    const char *cs = nl_langinfo(CODESET);
    return !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
}

static size_t put(char *buf, size_t len, size_t at, const char *g)
{
    size_t gl = strlen(g);
    if (at + gl + 1 > len)
        return at;
    memcpy(buf + at, g, gl);
    buf[at + gl] = '\0';
    return at + gl;
}

void ui_chart_bar(double frac, int cols, bool ascii, char *buf, size_t len)
{
    /* eighths: U+258F ▏ (1/8) … U+2589 ▉ (7/8), U+2588 █ full */
    static const char *const part[8] = { "", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
    if (!len)
        return;
    buf[0] = '\0';
    if (cols <= 0)
        return;
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    int eighths = (int)(frac * cols * 8 + 0.5);
    if (frac > 0 && eighths == 0)
        eighths = 1;  /* something, however small, shows */
    size_t at = 0;
    for (int i = 0; i < cols; i++) {
        int e = eighths - i * 8;
        const char *g;
        if (ascii)
            g = e >= 4 ? "#" : (e > 0 ? "+" : "-");
        else
            g = e >= 8 ? "\u2588" : e > 0 ? part[e] : " ";
        if (!ascii && e > 0 && e < 8 && !*g)
            g = " ";
        at = put(buf, len, at, g);
    }
}

void ui_chart_spark(const double *v, int n, bool ascii, char *buf, size_t len)
{
    static const char *const blocks[8] = { "\u2581", "\u2582", "\u2583", "\u2584",
                                           "\u2585", "\u2586", "\u2587", "\u2588" };
    static const char *const asc[8] = { ".", ",", ":", "-", "=", "+", "*", "#" };
    if (!len)
        return;
    buf[0] = '\0';
    double max = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        const char *g;
        if (!(v[i] > 0) || max <= 0) {
            g = " ";
        } else {
            int k = (int)(v[i] / max * 7 + 0.5);
            if (k < 0)
                k = 0;
            if (k > 7)
                k = 7;
            g = ascii ? asc[k] : blocks[k];
        }
        at = put(buf, len, at, g);
    }
}
