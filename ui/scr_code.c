/* scr_code.c — the 人才服务码 of a case and its QR code, drawn with
 * half-block characters (two module rows per text row).  The block
 * characters are East Asian Ambiguous: with --ambiwidth 2 each module is
 * drawn instead as two reverse-video blanks, one module row per text row. */
#include "draw.h"
#include "base/i18n.h"
#include "screens.h"
#include "recognition/talentcode.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct code_state {
    char case_id[TD_UUID_LEN];
    bool have;
    td_talent_code_info info;
    td_qr qr;
    bool have_qr;
    bool invert;
    char *half;
} code_state;

static void co_draw(ui_app *app, ui_view *v, ui_rect r)
{
    code_state *s = v->state;
    (void)app;
    if (!s->have) {
        ui_put(r.y, r.x, r.w, _("No talent service code has been issued for this case yet."), UI_S_ERROR);
        ui_put(r.y + 1, r.x, r.w, _("It is issued when the recognition is approved (F8 on the case)."), UI_S_DIM);
        return;
    }
    char line[512];
    snprintf(line, sizeof line, _("Talent service code: %s"), s->info.code);
    ui_put(r.y, r.x, r.w, line, UI_S_HEADER);
    snprintf(line, sizeof line, _("%s, tier %s, case %s, issued %.10s%s"), s->info.person_name,
             s->info.tier_name[0] ? s->info.tier_name : s->info.tier_id, s->info.case_no, s->info.issued_at,
             s->info.revoked ? _(" (REVOKED)") : "");
    ui_put(r.y + 1, r.x, r.w, line, s->info.revoked ? UI_S_ERROR : UI_S_NORMAL);
    if (!s->have_qr)
        return;
    int y = r.y + 3;
    if (td_text_ambiwidth() == 1 && s->half) {
        const char *p = s->half;
        while (*p && y < r.y + r.h) {
            size_t n = strcspn(p, "\n");
            char *l = strndup(p, n);
            if (!l)
                abort();
            int w = td_text_width(l);
            /* white blocks on black of our own, not the terminal's colours:
             * the light modules stay light on a light terminal too */
            ui_put(y++, r.x + (r.w - w) / 2, w, l, UI_S_QR_DARK);
            free(l);
            p += n;
            if (*p)
                p++;
        }
        return;
    }
    /* ambiguous = 2: one module row per text row, two blank columns each */
    int q = 2, wmod = s->qr.width + 2 * q;
    if (wmod * 2 > r.w || wmod > r.h - 3) {
        ui_put(y, r.x, r.w, _("The window is too small for the QR code with --ambiwidth 2."), UI_S_DIM);
        return;
    }
    int x0 = r.x + (r.w - wmod * 2) / 2;
    for (int my = -q; my < s->qr.width + q; my++, y++) {
        for (int mx = -q; mx < s->qr.width + q; mx++) {
            bool dark = my >= 0 && mx >= 0 && my < s->qr.width && mx < s->qr.width &&
                        s->qr.dark[my * s->qr.width + mx];
            bool lit = s->invert ? dark : !dark;
            ui_put(y, x0 + (mx + q) * 2, 2, "", lit ? UI_S_QR_LIGHT : UI_S_QR_DARK);
        }
    }
}

static unsigned co_key(ui_app *app, ui_view *v, ui_action a, ui_key key)
{
    code_state *s = v->state;
    (void)key;
    if (a == UI_ACT_PRINT) {
        if (s->have)
            ui_print_doc(app, "decision", s->case_id);
        else
            ui_status(app, true, "%s", _("No talent service code yet: nothing to print."));
        return UI_HANDLED | UI_FULL;
    }
    if (a == UI_ACT_INVERT && s->have_qr) {
        s->invert = !s->invert;
        free(s->half);
        s->half = td_qr_halfblock(&s->qr, s->invert);
        return UI_HANDLED | UI_REDRAW;
    }
    return 0;
}

static void co_destroy(ui_view *v)
{
    code_state *s = v->state;
    if (s->have_qr)
        td_qr_free(&s->qr);
    free(s->half);
    free(s);
}

static const ui_action code_actions[] = { UI_ACT_HELP, UI_ACT_INVERT, UI_ACT_PRINT, UI_ACT_QUIT, UI_ACT_BACK, UI_ACT_NONE };

static const ui_view_ops code_ops = {
    .name = "code",
    .title = N_("Talent service code"),
    .actions = code_actions,
    .draw = co_draw,
    .key = co_key,
    .destroy = co_destroy,
};

void ui_open_code(ui_app *app, const char *case_id)
{
    code_state *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    snprintf(s->case_id, sizeof s->case_id, "%s", case_id);
    td_err err;
    td_err_clear(&err);
    s->have = td_talent_code_of_case_as(app->db, &app->actor, case_id, &s->info, &err) == TD_OK;
    if (s->have) {
        char norm[TD_TALENT_CODE_LEN];
        if (td_talent_code_normalize(s->info.code, norm) && td_qr_make(s->info.code, &s->qr, &err) == TD_OK) {
            s->have_qr = true;
            s->half = td_qr_halfblock(&s->qr, false);
        }
    }
    ui_push(app, ui_view_new(&code_ops, s));
}

