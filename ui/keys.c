/* keys.c — the action table generated from keys.def, key names and the
 * script key parser. */
#include "ui.h"
#include "base/i18n.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

static const ui_action_info actions[UI_ACT_COUNT] = {
    [UI_ACT_NONE] = { UI_ACT_NONE, "none", "", "", { 0 } },
#define UI_ACTION(id, nm, label, help, k1, k2, k3, k4) \
    [UI_ACT_##id] = { UI_ACT_##id, nm, label, help, { k1, k2, k3, k4 } },
#include "keys.def"
#undef UI_ACTION
};

const ui_action_info *ui_action_get(ui_action a)
{
    if ((int)a < 0 || a >= UI_ACT_COUNT)
        a = UI_ACT_NONE;
    return &actions[a];
}

ui_action ui_action_by_name(const char *name)
{
    for (int i = 1; i < UI_ACT_COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return (ui_action)i;
    return UI_ACT_NONE;
}

ui_action ui_key_action(ui_key key, const ui_action *allowed)
{
    if (!allowed || key == UI_KEY_NONE)
        return UI_ACT_NONE;
    for (const ui_action *a = allowed; *a != UI_ACT_NONE; a++) {
        const ui_action_info *in = ui_action_get(*a);
        for (int k = 0; k < 4 && in->keys[k]; k++)
            if (in->keys[k] == key)
                return *a;
    }
    return UI_ACT_NONE;
}

int ui_action_fkey(ui_action a)
{
    const ui_action_info *in = ui_action_get(a);
    for (int k = 0; k < 4 && in->keys[k]; k++) {
        ui_key key = in->keys[k];
        if (key >= UK(KEY_F(1)) && key <= UK(KEY_F(12)))
            return key - UK(KEY_F(0));
    }
    return 0;
}

static const struct {
    const char *name;
    ui_key key;
} named[] = {
    { "Enter", '\n' },       { "Return", '\r' },         { "Tab", '\t' },
    { "S-Tab", UK(KEY_BTAB) }, { "BTab", UK(KEY_BTAB) }, { "Esc", 27 },
    { "Space", ' ' },        { "LT", '<' },              { "BS", UK(KEY_BACKSPACE) },
    { "Backspace", UK(KEY_BACKSPACE) }, { "Del", UK(KEY_DC) }, { "Delete", UK(KEY_DC) },
    { "Left", UK(KEY_LEFT) }, { "Right", UK(KEY_RIGHT) }, { "Up", UK(KEY_UP) },
    { "Down", UK(KEY_DOWN) }, { "Home", UK(KEY_HOME) },   { "End", UK(KEY_END) },
    { "PgUp", UK(KEY_PPAGE) }, { "PgDn", UK(KEY_NPAGE) }, { "PageUp", UK(KEY_PPAGE) },
    { "PageDown", UK(KEY_NPAGE) }, { "Resize", UK(KEY_RESIZE) }, { "KEnter", UK(KEY_ENTER) },
    { "DEL", 127 },
};

void ui_key_name(ui_key key, char *buf, size_t len)
{
    if (len == 0)
        return;
    if (key >= UK(KEY_F(13)) && key <= UK(KEY_F(24))) {
        snprintf(buf, len, "Shift-F%d", key - UK(KEY_F(12)));
        return;
    }
    if (key >= UK(KEY_F(1)) && key <= UK(KEY_F(63))) {
        snprintf(buf, len, "F%d", key - UK(KEY_F(0)));
        return;
    }
    if (key == '\n' || key == '\r' || key == UK(KEY_ENTER)) {
        snprintf(buf, len, "Enter");
        return;
    }
    if (key == 127 || key == 8) {
        snprintf(buf, len, "BkSp");
        return;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (named[i].key == key && strcmp(named[i].name, "LT") != 0) {
            snprintf(buf, len, "%s", named[i].name);
            return;
        }
    }
    if (key > 0 && key < 32) {
        snprintf(buf, len, "Ctrl-%c", key + '@');
        return;
    }
    if (!UI_KEY_IS_CODE(key) && key > 32) {
        char u[5] = { 0 };
        td_utf8_encode((uint32_t)key, u);
        snprintf(buf, len, "%s", u);
        return;
    }
    snprintf(buf, len, "?");
}

int ui_key_parse(const char *s, ui_key *out)
{
    if (!s || !*s)
        return 0;
    if (*s == '<') {
        const char *end = strchr(s + 1, '>');
        if (end && end - s > 1 && end - s < 24) {
            char name[24];
            size_t n = (size_t)(end - s - 1);
            memcpy(name, s + 1, n);
            name[n] = 0;
            int consumed = (int)(end - s + 1);
            if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '0' && name[1] <= '9') {
                int f = atoi(name + 1);
                if (f >= 1 && f <= 24) {
                    *out = UK(KEY_F(f));
                    return consumed;
                }
            }
            if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
                *out = UC(name[2] >= 'a' && name[2] <= 'z' ? name[2] - 32 : name[2]);
                return consumed;
            }
            for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
                if (strcasecmp(named[i].name, name) == 0) {
                    *out = named[i].key;
                    return consumed;
                }
            }
            return -1;
        }
    }
    uint32_t cp;
    int n = td_utf8_decode(s, strlen(s), &cp);
    *out = (ui_key)cp;
    return n;
}
