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
    {K('q', KEYC_CTRL('c')), "q, Ctrl-C", ACT_QUIT, KEYS_GLOBAL, "quit, restoring the terminal",
     "salir y restaurar la terminal"},
    {K('?', KEYC_F1), "?, F1", ACT_HELP, KEYS_GLOBAL, "show or hide this help",
     "mostrar u ocultar esta ayuda"},
    {K('r', KEYC_F5), "r, F5", ACT_REFRESH, KEYS_GLOBAL, "refresh now", "actualizar ahora"},
    {K('p'), "p", ACT_PAUSE, KEYS_GLOBAL, "pause or resume live updates",
     "pausar o reanudar las actualizaciones"},
    {K(KEYC_TAB), "Tab", ACT_FOCUS_NEXT, KEYS_GLOBAL, "focus the next panel",
     "enfocar el panel siguiente"},
    {K(KEYC_BTAB), "Shift-Tab", ACT_FOCUS_PREV, KEYS_GLOBAL, "focus the previous panel",
     "enfocar el panel anterior"},
    {K('1'), "1", ACT_VIEW_DASHBOARD, KEYS_GLOBAL, "dashboard view", "vista del panel"},
    {K('2'), "2", ACT_VIEW_QUOTES, KEYS_GLOBAL, "quotes view", "vista de cotizaciones"},
    {K('3'), "3", ACT_VIEW_EXPENSES, KEYS_GLOBAL, "expenses view", "vista de gastos"},
    {K('4'), "4", ACT_VIEW_QUOTAS, KEYS_GLOBAL, "quotas view", "vista de cuotas"},
    {K('5'), "5", ACT_VIEW_HEALTH, KEYS_GLOBAL, "health view", "vista de salud"},
    {K('t'), "t", ACT_THEME_NEXT, KEYS_GLOBAL, "next theme", "tema siguiente"},
    {K('+'), "+", ACT_INTERVAL_UP, KEYS_GLOBAL, "longer refresh interval",
     "intervalo de actualización más largo"},
    {K('-'), "-", ACT_INTERVAL_DOWN, KEYS_GLOBAL, "shorter refresh interval",
     "intervalo de actualización más corto"},
    {K(KEYC_CTRL('l')), "Ctrl-L", ACT_REDRAW, KEYS_GLOBAL, "redraw the whole screen",
     "redibujar toda la pantalla"},
    {K('j', KEYC_DOWN), "j, Down", ACT_DOWN, KEYS_LISTS, "move down", "bajar"},
    {K('k', KEYC_UP), "k, Up", ACT_UP, KEYS_LISTS, "move up", "subir"},
    {K(KEYC_LEFT), "Left", ACT_LEFT, KEYS_LISTS, "previous page of a paged list",
     "página anterior de una lista paginada"},
    {K(KEYC_RIGHT), "Right", ACT_RIGHT, KEYS_LISTS, "next page of a paged list",
     "página siguiente de una lista paginada"},
    {K(KEYC_PGDN), "PgDn", ACT_PAGE_DOWN, KEYS_LISTS, "scroll a screen down",
     "avanzar una pantalla"},
    {K(KEYC_PGUP), "PgUp", ACT_PAGE_UP, KEYS_LISTS, "scroll a screen up",
     "retroceder una pantalla"},
    {K('g', KEYC_HOME), "g, Home", ACT_TOP, KEYS_LISTS, "go to the top", "ir al principio"},
    {K('G', KEYC_END), "G, End", ACT_BOTTOM, KEYS_LISTS, "go to the bottom", "ir al final"},
    {K(KEYC_ENTER), "Enter", ACT_OPEN, KEYS_LISTS, "open the selected item (drill down)",
     "abrir el elemento seleccionado"},
    {K(KEYC_ESC), "Esc", ACT_BACK, KEYS_LISTS, "go back, close", "volver, cerrar"},
    {K('/'), "/", ACT_FILTER, KEYS_LISTS, "filter the focused list by text",
     "filtrar la lista enfocada por texto"},
    {K('s'), "s", ACT_STATUS_FILTER, KEYS_QUOTES, "cycle the status filter",
     "cambiar el filtro de estado"},
    {K('o'), "o", ACT_SORT, KEYS_QUOTES, "sort by the next column",
     "ordenar por la columna siguiente"},
    {K('O'), "O", ACT_SORT_REVERSE, KEYS_QUOTES, "reverse the sort order", "invertir el orden"},
    {K('a'), "a", ACT_APPROVE, KEYS_EXPENSES, "approve the selected expense",
     "aprobar el gasto seleccionado"},
    {K('x'), "x", ACT_REJECT, KEYS_EXPENSES, "reject the selected expense (asks a reason)",
     "rechazar el gasto seleccionado (pide un motivo)"},
    {K('y'), "y", ACT_YEAR_PREV, KEYS_PERIOD, "previous year", "año anterior"},
    {K('Y'), "Y", ACT_YEAR_NEXT, KEYS_PERIOD, "next year", "año siguiente"},
    {K('['), "[", ACT_MONTH_PREV, KEYS_PERIOD, "previous month", "mes anterior"},
    {K(']'), "]", ACT_MONTH_NEXT, KEYS_PERIOD, "next month", "mes siguiente"},
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
    const char *en, *es;
} scope_titles[] = {
    {KEYS_GLOBAL, "General", "General"},
    {KEYS_LISTS, "Lists and tables", "Listas y tablas"},
    {KEYS_QUOTES, "Quotes (2)", "Cotizaciones (2)"},
    {KEYS_EXPENSES, "Expenses (3)", "Gastos (3)"},
    {KEYS_PERIOD, "Year and month", "Año y mes"},
};

#define MOUSE_EN "click focuses a panel or selects a row; the wheel scrolls"
#define MOUSE_ES "clic enfoca un panel o elige una fila; la rueda desplaza"

/* Row i of the help list: a heading (name NULL) or a "name  help" pair.
 * Returns false past the end. The same walk counts and draws. */
static bool help_row(int i, bool es, const char **name, const char **text)
{
    int row = 0;
    for (size_t s = 0; s < sizeof scope_titles / sizeof scope_titles[0]; s++) {
        if (row++ == i) {
            *name = NULL;
            *text = es ? scope_titles[s].es : scope_titles[s].en;
            return true;
        }
        for (size_t k = 0; k < key_table_len; k++) {
            if (key_table[k].scope != scope_titles[s].scope)
                continue;
            if (row++ == i) {
                *name = key_table[k].name;
                *text = es ? key_table[k].help_es : key_table[k].help;
                return true;
            }
        }
    }
    if (row++ == i) {
        *name = NULL;
        *text = es ? "Ratón" : "Mouse";
        return true;
    }
    if (row == i) {
        *name = "";
        *text = es ? MOUSE_ES : MOUSE_EN;
        return true;
    }
    return false;
}

int keys_help_rows(void)
{
    const char *name, *text;
    int n = 0;
    while (help_row(n, false, &name, &text))
        n++;
    return n;
}

#define NAME_W 11

void keys_draw_help(struct grid *g, struct rect r, const char *lang, int scroll)
{
    bool es = lang_is_spanish(lang);
    const char *name, *text;

    grid_fill(g, r, " ", PEN(ROLE_TEXT));
    grid_box(g, r, PEN(ROLE_BORDER_FOCUS), es ? "Teclas" : "Keys", PEN_A(ROLE_TITLE, ATTR_BOLD));
    struct rect in = rect_inset(r, 1);
    if (in.w <= 2 || in.h <= 0)
        return;
    int total = keys_help_rows();
    if (scroll > total - in.h)
        scroll = total - in.h;
    if (scroll < 0)
        scroll = 0;
    for (int y = 0; y < in.h && help_row(scroll + y, es, &name, &text); y++) {
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

    for (int i = 0; help_row(i, false, &name, &text); i++) {
        if (!name)
            buf_printf(out, "%s:\n", text);
        else
            buf_printf(out, "  %-*s %s\n", NAME_W, name, text);
    }
}
