/* Tables: a header row, column widths from minimums and flex shares, scrolling that follows the
 * selection. */
#include "draw.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLS 32

/* Widths of the columns that fit in w (min_w each, one space between), extra
 * width shared by flex. Returns how many columns are shown. */
static int column_widths(const struct table_col *cols, int ncols, int w, int *out)
{
    int shown = 0, used = 0;

    for (int i = 0; i < ncols && i < MAX_COLS; i++) {
        int need = cols[i].min_w + (shown ? 1 : 0);
        if (used + need > w)
            break;
        out[i] = cols[i].min_w;
        used += need;
        shown++;
    }
    int flex = 0, last_flex = -1;
    for (int i = 0; i < shown; i++) {
        if (cols[i].flex > 0) {
            flex += cols[i].flex;
            last_flex = i;
        }
    }
    int extra = w - used, given = 0;
    for (int i = 0; i < shown && flex > 0; i++) {
        if (cols[i].flex <= 0)
            continue;
        int add = extra * cols[i].flex / flex;
        out[i] += add;
        given += add;
    }
    if (last_flex >= 0)
        out[last_flex] += extra - given;
    return shown;
}

static unsigned align_flags(enum align a)
{
    return a == ALIGN_RIGHT ? PUT_RIGHT : a == ALIGN_CENTER ? PUT_CENTER : 0;
}

int draw_table(struct grid *g, struct rect r, const struct table_spec *t, int *scroll)
{
    int widths[MAX_COLS];
    int top = scroll ? *scroll : 0;

    if (r.w <= 0 || r.h <= 0 || !t || t->ncols <= 0)
        return 0;
    int shown = column_widths(t->cols, t->ncols, r.w, widths);
    int visible = r.h - 1;

    /* Keep the selection in view, then clamp. */
    if (t->selected >= 0 && visible > 0) {
        if (t->selected < top)
            top = t->selected;
        if (t->selected >= top + visible)
            top = t->selected - visible + 1;
    }
    if (top > t->nrows - visible)
        top = t->nrows - visible;
    if (top < 0)
        top = 0;
    if (scroll)
        *scroll = top;

    struct pen head = PEN_A(ROLE_TITLE, ATTR_BOLD | ATTR_UNDERLINE);
    grid_fill(g, (struct rect){r.x, r.y, r.w, 1}, " ", head);
    for (int c = 0, x = r.x; c < shown; x += widths[c] + 1, c++) {
        char title[96];
        const char *text = t->cols[c].title ? t->cols[c].title : "";
        if (t->sort_col == c + 1) {
            /* The sort column is marked in the header itself. */
            const char *mark = g->ascii ? (t->sort_desc ? "v" : "^") : t->sort_desc ? "▼" : "▲";
            if (t->cols[c].align == ALIGN_RIGHT)
                snprintf(title, sizeof title, "%s%s", mark, text);
            else
                snprintf(title, sizeof title, "%s%s", text, mark);
            text = title;
        }
        grid_put(g, x, r.y, widths[c], text, head, align_flags(t->cols[c].align) | PUT_ELLIPSIS);
    }

    int rows = 0;
    for (int i = 0; i < visible && top + i < t->nrows; i++, rows++) {
        int row = top + i, y = r.y + 1 + i;
        grid_fill(g, (struct rect){r.x, y, r.w, 1}, " ", PEN(ROLE_TEXT));
        for (int c = 0, x = r.x; c < shown; x += widths[c] + 1, c++) {
            struct pen pen = PEN(ROLE_TEXT);
            const char *text = t->cell ? t->cell(t->ud, row, c, &pen) : NULL;
            grid_put(g, x, y, widths[c], text, pen,
                     align_flags(t->cols[c].align) | PUT_ELLIPSIS | PUT_PAD);
        }
        if (row == t->selected) {
            struct rect line = {r.x, y, r.w, 1};
            if (t->focused)
                grid_restyle(g, line, ROLE_SELECTED, 0);
            else
                grid_restyle(g, line, -1, ATTR_BOLD);
        }
    }
    return rows;
}
