/* pdf.c — see pdf.h. */
#include "pdf.h"
#include "base/atomicfile.h"
#include "base/i18n.h"
#include "base/text.h"
#include "recognition/talentcode.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 64.0

const char *td_print_font_family(void)
{
    return "WenQuanYi Micro Hei, Noto Sans CJK SC, WenQuanYi Zen Hei, Droid Sans Fallback, sans-serif";
}

typedef struct pen {
    cairo_t *cr;
    double y;
} pen;

static void next_page_if(pen *p, double need)
{
    if (p->y + need <= PAGE_H - MARGIN)
        return;
    cairo_show_page(p->cr);
    p->y = MARGIN;
}

/* Sets text (sanitised) at the pen in the given size; centred or from the
 * left margin, wrapped to the text width; moves the pen down. */
static void put_text(pen *p, const char *text, double size, bool bold, bool centre, double indent, double after)
{
    size_t cap = td_text_sanitized_size(text, false);
    char *t = malloc(cap);
    if (!t)
        abort();
    td_text_sanitize(text, t, cap);
    PangoLayout *lay = pango_cairo_create_layout(p->cr);
    char fam[256];
    snprintf(fam, sizeof fam, "%s %s %.1f", td_print_font_family(), bold ? "Bold" : "", size);
    PangoFontDescription *fd = pango_font_description_from_string(fam);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)((PAGE_W - 2 * MARGIN - indent) * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    pango_layout_set_text(lay, t, -1);
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    double hh = (double)h / PANGO_SCALE;
    next_page_if(p, hh);
    cairo_move_to(p->cr, MARGIN + indent, p->y);
    pango_cairo_show_layout(p->cr, lay);
    p->y += hh + after;
    g_object_unref(lay);
    free(t);
}

static td_status put_qr(pen *p, const char *payload, const char *caption, td_err *err)
{
    td_qr qr;
    td_status s = td_qr_make(payload, &qr, err);
    if (s != TD_OK)
        return s;
    const double mod = 4.0; /* points per module: 25 modules ≈ 35 mm with the quiet zone */
    int quiet = 4;
    double side = (qr.width + 2 * quiet) * mod;
    next_page_if(p, side + 30);
    double x0 = (PAGE_W - side) / 2, y0 = p->y;
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_rectangle(p->cr, x0, y0, side, side);
    cairo_fill(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int y = 0; y < qr.width; y++)
        for (int x = 0; x < qr.width; x++)
            if (qr.dark[y * qr.width + x])
                cairo_rectangle(p->cr, x0 + (x + quiet) * mod, y0 + (y + quiet) * mod, mod, mod);
    cairo_fill(p->cr);
    td_qr_free(&qr);
    p->y += side + 4;
    char line[512];
    snprintf(line, sizeof line, "%s%s%s", caption, caption[0] ? _(": ") : "", payload);
    put_text(p, line, 10, false, true, 0, 12);
    return TD_OK;
}

static cairo_status_t to_stream(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *f = closure;
    return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

td_status td_printdoc_pdf(const td_printdoc *d, const char *path, td_err *err)
{
    td_afile af;
    td_status s = td_afile_open(&af, path, 0600, err);
    if (s != TD_OK)
        return s;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(to_stream, td_afile_stream(&af), PAGE_W, PAGE_H);
    char title[160];
    snprintf(title, sizeof title, "%s %s", d->case_no, d->kind);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "TalentDesk");
    cairo_t *cr = cairo_create(surf);
    pen p = { cr, MARGIN };
    for (size_t i = 0; i < d->n && s == TD_OK; i++) {
        const td_pblock *b = &d->b[i];
        cairo_set_source_rgb(cr, 0, 0, 0);
        switch (b->kind) {
        case TD_PB_SUBTITLE:
            put_text(&p, b->text, 12, false, true, 0, 6);
            break;
        case TD_PB_TITLE:
            put_text(&p, b->text, 20, true, true, 0, 18);
            break;
        case TD_PB_HEADING:
            p.y += 6;
            put_text(&p, b->text, 13, true, false, 0, 6);
            break;
        case TD_PB_FIELD: {
            char line[4096];
            snprintf(line, sizeof line, "%s%s%s", b->label, _(": "), b->text);
            put_text(&p, line, 12, false, false, 0, 6);
            break;
        }
        case TD_PB_ITEM:
            put_text(&p, b->text, 12, false, false, 18, 4);
            break;
        case TD_PB_TEXT:
            put_text(&p, b->text[0] ? b->text : " ", 12, false, false, 0, 4);
            break;
        case TD_PB_QR:
            p.y += 12;
            s = put_qr(&p, b->text, b->label, err);
            break;
        }
    }
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    cairo_status_t cs = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (s != TD_OK) {
        td_afile_abort(&af);
        return s;
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        td_afile_abort(&af);
        return td_err_set(err, TD_EIO, _("cannot write the PDF %s: %s"), path, cairo_status_to_string(cs));
    }
    return td_afile_commit(&af, err);
}
