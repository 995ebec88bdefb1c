/* The key table, its lookups, and the help overlay and --help text drawn from it. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "format.h"

#define K(...)                                                                                     \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

const struct key_binding key_table[] = {
    {K('q', KEYC_CTRL('c')), "q, Ctrl-C", ACT_QUIT, KEYS_GLOBAL, MSG_H_QUIT},
    {K('?', KEYC_F1), "?, F1", ACT_HELP, KEYS_GLOBAL, MSG_H_HELP},
    {K('r', KEYC_F5), "r, F5", ACT_REFRESH, KEYS_GLOBAL, MSG_H_REFRESH},
    {K('p'), "p", ACT_PAUSE, KEYS_GLOBAL, MSG_H_PAUSE},
    {K(KEYC_TAB), "Tab", ACT_FOCUS_NEXT, KEYS_GLOBAL, MSG_H_FOCUS_NEXT},
    {K(KEYC_BTAB), "Shift-Tab", ACT_FOCUS_PREV, KEYS_GLOBAL, MSG_H_FOCUS_PREV},
    {K('1'), "1", ACT_VIEW_DASHBOARD, KEYS_GLOBAL, MSG_H_VIEW_DASHBOARD},
    {K('2'), "2", ACT_VIEW_QUOTES, KEYS_GLOBAL, MSG_H_VIEW_QUOTES},
    {K('3'), "3", ACT_VIEW_EXPENSES, KEYS_GLOBAL, MSG_H_VIEW_EXPENSES},
    {K('4'), "4", ACT_VIEW_QUOTAS, KEYS_GLOBAL, MSG_H_VIEW_QUOTAS},
    {K('5'), "5", ACT_VIEW_HEALTH, KEYS_GLOBAL, MSG_H_VIEW_HEALTH},
    {K('t'), "t", ACT_THEME_NEXT, KEYS_GLOBAL, MSG_H_THEME},
    {K('+'), "+", ACT_INTERVAL_UP, KEYS_GLOBAL, MSG_H_INTERVAL_UP},
    {K('-'), "-", ACT_INTERVAL_DOWN, KEYS_GLOBAL, MSG_H_INTERVAL_DOWN},
    {K(KEYC_CTRL('l')), "Ctrl-L", ACT_REDRAW, KEYS_GLOBAL, MSG_H_REDRAW},
    {K(':'), ":", ACT_PALETTE, KEYS_GLOBAL, MSG_H_PALETTE},
    {K('P'), "P", ACT_PROFILE_NEXT, KEYS_GLOBAL, MSG_H_PROFILE},
    {K('j', KEYC_DOWN), "j, Down", ACT_DOWN, KEYS_LISTS, MSG_H_DOWN},
    {K('k', KEYC_UP), "k, Up", ACT_UP, KEYS_LISTS, MSG_H_UP},
    {K(KEYC_LEFT), "Left", ACT_LEFT, KEYS_LISTS, MSG_H_LEFT},
    {K(KEYC_RIGHT), "Right", ACT_RIGHT, KEYS_LISTS, MSG_H_RIGHT},
    {K(KEYC_PGDN), "PgDn", ACT_PAGE_DOWN, KEYS_LISTS, MSG_H_PAGE_DOWN},
    {K(KEYC_PGUP), "PgUp", ACT_PAGE_UP, KEYS_LISTS, MSG_H_PAGE_UP},
    {K('g', KEYC_HOME), "g, Home", ACT_TOP, KEYS_LISTS, MSG_H_TOP},
    {K('G', KEYC_END), "G, End", ACT_BOTTOM, KEYS_LISTS, MSG_H_BOTTOM},
    {K(KEYC_ENTER), "Enter", ACT_OPEN, KEYS_LISTS, MSG_H_OPEN},
    {K(KEYC_ESC), "Esc", ACT_BACK, KEYS_LISTS, MSG_H_BACK},
    {K('/'), "/", ACT_FILTER, KEYS_LISTS, MSG_H_FILTER},
    {K('s'), "s", ACT_STATUS_FILTER, KEYS_QUOTES, MSG_H_STATUS_FILTER},
    {K('o'), "o", ACT_SORT, KEYS_LISTS, MSG_H_SORT},
    {K('O'), "O", ACT_SORT_REVERSE, KEYS_LISTS, MSG_H_SORT_REVERSE},
    {K('a'), "a", ACT_APPROVE, KEYS_EXPENSES, MSG_H_APPROVE},
    {K('x'), "x", ACT_REJECT, KEYS_EXPENSES, MSG_H_REJECT},
    {K('y'), "y", ACT_YEAR_PREV, KEYS_PERIOD, MSG_H_YEAR_PREV},
    {K('Y'), "Y", ACT_YEAR_NEXT, KEYS_PERIOD, MSG_H_YEAR_NEXT},
    {K('['), "[", ACT_MONTH_PREV, KEYS_PERIOD, MSG_H_MONTH_PREV},
    {K(']'), "]", ACT_MONTH_NEXT, KEYS_PERIOD, MSG_H_MONTH_NEXT},
    {K(KEYC_CTRL('u')), "Ctrl-U", ACT_CLEAR_LINE, KEYS_PROMPT, MSG_H_CLEAR_LINE},
};

const size_t key_table_len = sizeof key_table / sizeof key_table[0];

static const char *const action_names[ACT_COUNT] = {
    [ACT_NONE] = "none",
    [ACT_QUIT] = "quit",
    [ACT_HELP] = "help",
    [ACT_REFRESH] = "refresh",
    [ACT_PAUSE] = "pause",
    [ACT_FOCUS_NEXT] = "focus_next",
    [ACT_FOCUS_PREV] = "focus_prev",
    [ACT_VIEW_DASHBOARD] = "view_dashboard",
    [ACT_VIEW_QUOTES] = "view_quotes",
    [ACT_VIEW_EXPENSES] = "view_expenses",
    [ACT_VIEW_QUOTAS] = "view_quotas",
    [ACT_VIEW_HEALTH] = "view_health",
    [ACT_DOWN] = "down",
    [ACT_UP] = "up",
    [ACT_LEFT] = "left",
    [ACT_RIGHT] = "right",
    [ACT_PAGE_DOWN] = "page_down",
    [ACT_PAGE_UP] = "page_up",
    [ACT_TOP] = "top",
    [ACT_BOTTOM] = "bottom",
    [ACT_OPEN] = "open",
    [ACT_BACK] = "back",
    [ACT_FILTER] = "filter",
    [ACT_STATUS_FILTER] = "status_filter",
    [ACT_SORT] = "sort",
    [ACT_SORT_REVERSE] = "sort_reverse",
    [ACT_APPROVE] = "approve",
    [ACT_REJECT] = "reject",
    [ACT_THEME_NEXT] = "theme_next",
    [ACT_INTERVAL_UP] = "interval_up",
    [ACT_INTERVAL_DOWN] = "interval_down",
    [ACT_YEAR_PREV] = "year_prev",
    [ACT_YEAR_NEXT] = "year_next",
    [ACT_MONTH_PREV] = "month_prev",
    [ACT_MONTH_NEXT] = "month_next",
    [ACT_REDRAW] = "redraw",
    [ACT_PALETTE] = "palette",
    [ACT_PROFILE_NEXT] = "profile_next",
    [ACT_CLEAR_LINE] = "clear_line",
};

/* ---- lookups ------------------------------------------------------------ */

const struct key_binding *keys_find(int key)
{
    if (key == KEYC_NONE)
        return NULL;
    for (size_t i = 0; i < key_table_len; i++)
        for (int k = 0; k < KEY_BINDING_KEYS && key_table[i].keys[k]; k++)
            if (key_table[i].keys[k] == key)
                return &key_table[i];
    return NULL;
}

enum action keys_lookup(int key)
{
    const struct key_binding *b = keys_find(key);
    return b ? b->action : ACT_NONE;
}

const char *keys_action_name(enum action a)
{
    if ((int)a < 0 || a >= ACT_COUNT)
        return NULL;
    return action_names[a];
}

const char *keys_code_name(int key, char *out, size_t outsz)
{
    static const char *const special[] = {
        [KEYC_UP - KEYC_BASE] = "Up",
        [KEYC_DOWN - KEYC_BASE] = "Down",
        [KEYC_LEFT - KEYC_BASE] = "Left",
        [KEYC_RIGHT - KEYC_BASE] = "Right",
        [KEYC_PGUP - KEYC_BASE] = "PgUp",
        [KEYC_PGDN - KEYC_BASE] = "PgDn",
        [KEYC_HOME - KEYC_BASE] = "Home",
        [KEYC_END - KEYC_BASE] = "End",
        [KEYC_ENTER - KEYC_BASE] = "Enter",
        [KEYC_ESC - KEYC_BASE] = "Esc",
        [KEYC_TAB - KEYC_BASE] = "Tab",
        [KEYC_BTAB - KEYC_BASE] = "Shift-Tab",
        [KEYC_BACKSPACE - KEYC_BASE] = "Backspace",
        [KEYC_F1 - KEYC_BASE] = "F1",
        [KEYC_F5 - KEYC_BASE] = "F5",
        [KEYC_RESIZE - KEYC_BASE] = "Resize",
        [KEYC_MOUSE - KEYC_BASE] = "Mouse",
    };
    char u[5];

    if (key >= KEYC_BASE && key <= KEYC_MOUSE)
        snprintf(out, outsz, "%s", special[key - KEYC_BASE]);
    else if (key > 0 && key < 0x20)
        snprintf(out, outsz, "Ctrl-%c", 'A' + key - 1);
    else if (key == ' ')
        snprintf(out, outsz, "Space");
    else if (key > 0x20 && key < KEYC_BASE && key != 0x7F && format_utf8_put((uint32_t)key, u))
        snprintf(out, outsz, "%s", u);
    else
        snprintf(out, outsz, "key %d", key);
    return out;
}

/* ---- help --------------------------------------------------------------- */

static const struct {
    enum key_scope scope;
    enum msg_id title;
} scope_titles[] = {
    {KEYS_GLOBAL, MSG_SCOPE_GLOBAL}, {KEYS_LISTS, MSG_SCOPE_LISTS},
    {KEYS_QUOTES, MSG_SCOPE_QUOTES}, {KEYS_EXPENSES, MSG_SCOPE_EXPENSES},
    {KEYS_PERIOD, MSG_SCOPE_PERIOD}, {KEYS_PROMPT, MSG_SCOPE_PROMPT},
};

/* Row i of the help list: a heading (name NULL) or a "name  help" pair.
 * Returns false past the end. The same walk counts and draws. */
static bool help_row(int i, const char *lang, const char **name, const char **text)
{
    int row = 0;
    for (size_t s = 0; s < sizeof scope_titles / sizeof scope_titles[0]; s++) {
        if (row++ == i) {
            *name = NULL;
            *text = msg(lang, scope_titles[s].title);
            return true;
        }
        for (size_t k = 0; k < key_table_len; k++) {
            if (key_table[k].scope != scope_titles[s].scope)
                continue;
            if (row++ == i) {
                *name = key_table[k].name;
                *text = msg(lang, key_table[k].help);
                return true;
            }
        }
    }
    if (row++ == i) {
        *name = NULL;
        *text = msg(lang, MSG_MOUSE);
        return true;
    }
    if (row == i) {
        *name = "";
        *text = msg(lang, MSG_MOUSE_HELP);
        return true;
    }
    return false;
}

int keys_help_rows(void)
{
    const char *name, *text;
    int n = 0;
    while (help_row(n, NULL, &name, &text))
        n++;
    return n;
}

#define NAME_W 11

void keys_draw_help(struct grid *g, struct rect r, const char *lang, int scroll)
{
    const char *name, *text;

    grid_fill(g, r, " ", PEN(ROLE_TEXT));
    grid_box(g, r, PEN(ROLE_BORDER_FOCUS), msg(lang, MSG_KEYS), PEN_A(ROLE_TITLE, ATTR_BOLD));
    struct rect in = rect_inset(r, 1);
    if (in.w <= 2 || in.h <= 0)
        return;
    int total = keys_help_rows();
    if (scroll > total - in.h)
        scroll = total - in.h;
    if (scroll < 0)
        scroll = 0;
    /* Hidden rows are announced on the frame's edges. */
    char more[96];
    if (scroll > 0) {
        snprintf(more, sizeof more, " %s %s ", g->ascii ? "^" : "▲",
                 msg(lang, MSG_HELP_MORE_ABOVE));
        grid_put(g, r.x + r.w - 2 - format_width(more), r.y, format_width(more), more,
                 PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
    }
    if (scroll + in.h < total) {
        snprintf(more, sizeof more, " %s %s ", g->ascii ? "v" : "▼",
                 msg(lang, MSG_HELP_MORE_BELOW));
        grid_put(g, r.x + r.w - 2 - format_width(more), r.y + r.h - 1, format_width(more), more,
                 PEN_A(ROLE_TITLE, ATTR_BOLD), 0);
    }
    for (int y = 0; y < in.h && help_row(scroll + y, lang, &name, &text); y++) {
        int x = in.x + 1, w = in.w - 2;
        if (!name) {
            grid_put(g, x, in.y + y, w, text, PEN_A(ROLE_TITLE, ATTR_BOLD), PUT_ELLIPSIS);
            continue;
        }
        int nw = w > NAME_W + 4 ? NAME_W : 0;
        grid_put(g, x + 2, in.y + y, nw, name, PEN_A(ROLE_GOOD, ATTR_BOLD), PUT_ELLIPSIS);
        grid_put(g, x + 2 + nw + 1, in.y + y, w - nw - 3, text, PEN(ROLE_TEXT), PUT_ELLIPSIS);
    }
}

void keys_help_text(struct buf *out)
{
    const char *name, *text;

    for (int i = 0; help_row(i, NULL, &name, &text); i++) {
        if (!name)
            buf_printf(out, "%s:\n", text);
        else
            buf_printf(out, "  %-*s %s\n", NAME_W, name, text);
    }
}
