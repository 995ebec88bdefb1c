/* The cell grid: clipped, wcwidth-aware text and glyph writes that keep wide characters whole. */
#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "xalloc.h"

/* ---- cells -------------------------------------------------------------- */

static struct cell *at(struct grid *g, int x, int y)
{
    return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

static void cell_space(struct cell *c, struct pen pen)
{
    c->text[0] = ' ';
    c->text[1] = '\0';
    c->role = (uint8_t)pen.role;
    c->bg = (uint8_t)pen.bg;
    c->attrs = (uint8_t)pen.attrs;
    c->flags = 0;
}

static struct pen cell_pen(const struct cell *c)
{
    return (struct pen){(enum color_role)c->role, (enum color_role)c->bg, c->attrs};
}

/* Before cells [x, x+w) of row y are overwritten: the other half of any wide
 * character cut by that span becomes a space in its own pen. */
static void break_wide(struct grid *g, int x, int y, int w)
{
    struct cell *first = at(g, x, y), *last = at(g, x + w - 1, y);

    if ((first->flags & CELL_CONT) && x > 0) {
        struct cell *lead = at(g, x - 1, y);
        cell_space(lead, cell_pen(lead));
    }
    if ((last->flags & CELL_WIDE) && x + w < g->w) {
        struct cell *cont = at(g, x + w, y);
        cell_space(cont, cell_pen(cont));
    }
}

/* Writes one character cluster (bytes, n of them, `width` columns) at (x, y).
 * A two-column cluster that would cross the grid's edge becomes a space. */
static int put_cluster(struct grid *g, int x, int y, const char *bytes, size_t n, int width,
                       struct pen pen)
{
    if (y < 0 || y >= g->h || x >= g->w || width <= 0)
        return 0;
    if (width == 2 && (x < 0 || x == g->w - 1)) {
        int sx = x < 0 ? x + 1 : x;
        if (sx >= 0 && sx < g->w)
            put_cluster(g, sx, y, " ", 1, 1, pen);
        return x < 0 ? 0 : 1;
    }
    if (x < 0)
        return 0;
    break_wide(g, x, y, width);
    struct cell *c = at(g, x, y);
    if (n >= CELL_TEXT_MAX)
        n = CELL_TEXT_MAX - 1;
    memcpy(c->text, bytes, n);
    c->text[n] = '\0';
    c->role = (uint8_t)pen.role;
    c->bg = (uint8_t)pen.bg;
    c->attrs = (uint8_t)pen.attrs;
    c->flags = width == 2 ? CELL_WIDE : 0;
    if (width == 2) {
        struct cell *cont = at(g, x + 1, y);
        *cont = *c;
        cont->text[0] = '\0';
        cont->flags = CELL_CONT;
    }
    return width;
}

/* ---- clusters ----------------------------------------------------------- */

/* Walks text as display clusters: a base character with its combining marks
 * (UTF-8), or one transliterated ASCII character at a time (ascii). */
struct cluster_it {
    const char *p;
    bool ascii;
    char pend[4]; /* transliteration not yet returned */
    int npend, ipend;
};

struct cluster {
    char bytes[CELL_TEXT_MAX];
    size_t n;
    int width;
};

static bool cluster_next(struct cluster_it *it, struct cluster *c)
{
    uint32_t cp;

    if (it->ascii) {
        while (it->ipend >= it->npend) {
            cp = format_utf8_next(&it->p);
            if (cp == 0)
                return false;
            it->npend = format_cp_ascii(cp, it->pend);
            it->ipend = 0;
        }
        c->bytes[0] = it->pend[it->ipend++];
        c->bytes[1] = '\0';
        c->n = 1;
        c->width = 1;
        return true;
    }
    for (;;) {
        cp = format_utf8_next(&it->p);
        if (cp == 0)
            return false;
        c->width = format_cp_width(cp);
        if (c->width > 0)
            break; /* a combining mark with nothing before it is dropped */
    }
    if (cp == '\t' || cp == '\n' || cp == '\r')
        cp = ' ';
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xA0 && wcwidth((wchar_t)cp) < 0))
        cp = 0xFFFD; /* what the terminal cannot show, shown as a known width */
    c->n = (size_t)format_utf8_put(cp, c->bytes);
    /* Attach the zero-width characters that follow, while they fit. */
    for (;;) {
        const char *save = it->p;
        uint32_t next = format_utf8_next(&it->p);
        if (next == 0 || format_cp_width(next) != 0 || next < 0x20) {
            it->p = save;
            break;
        }
        char tmp[5];
        size_t k = (size_t)format_utf8_put(next, tmp);
        if (c->n + k < CELL_TEXT_MAX) {
            memcpy(c->bytes + c->n, tmp, k + 1);
            c->n += k;
        }
    }
    return true;
}

/* ---- grid lifetime ------------------------------------------------------ */

struct grid *grid_new(int w, int h)
{
    struct grid *g = xcalloc(1, sizeof *g);
    grid_resize(g, w, h);
    return g;
}

void grid_free(struct grid *g)
{
    if (!g)
        return;
    free(g->cells);
    free(g);
}

void grid_resize(struct grid *g, int w, int h)
{
    if (w < 0 || h < 0)
        w = h = 0;
    size_t n = (size_t)w * (size_t)h;
    if (n != (size_t)g->w * (size_t)g->h || !g->cells) {
        free(g->cells);
        g->cells = xcalloc(n ? n : 1, sizeof *g->cells);
    }
    g->w = n ? w : 0;
    g->h = n ? h : 0;
    grid_clear(g, PEN(ROLE_TEXT));
}

void grid_copy(struct grid *dst, const struct grid *src)
{
    if (dst->w != src->w || dst->h != src->h)
        grid_resize(dst, src->w, src->h);
    dst->ascii = src->ascii;
    memcpy(dst->cells, src->cells, (size_t)src->w * (size_t)src->h * sizeof *src->cells);
}

void grid_clear(struct grid *g, struct pen pen)
{
    size_t n = (size_t)g->w * (size_t)g->h;
    for (size_t i = 0; i < n; i++)
        cell_space(&g->cells[i], pen);
}

const struct cell *grid_cell(const struct grid *g, int x, int y)
{
    if (x < 0 || y < 0 || x >= g->w || y >= g->h)
        return NULL;
    return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

/* ---- writing ------------------------------------------------------------ */

int grid_set(struct grid *g, int x, int y, const char *glyph, struct pen pen)
{
    struct cluster_it it = {.p = glyph ? glyph : "", .ascii = g->ascii};
    struct cluster c;

    if (!cluster_next(&it, &c))
        return put_cluster(g, x, y, " ", 1, 1, pen);
    return put_cluster(g, x, y, c.bytes, c.n, c.width, pen);
}

static int text_width(const char *text, bool ascii)
{
    struct cluster_it it = {.p = text, .ascii = ascii};
    struct cluster c;
    int w = 0;

    while (cluster_next(&it, &c))
        w += c.width;
    return w;
}

int grid_put(struct grid *g, int x, int y, int w, const char *text, struct pen pen, unsigned flags)
{
    const char *ell = g->ascii ? "..." : "…";
    int ellw = g->ascii ? 3 : 1;

    if (!text)
        text = "";
    if (w < 0)
        w = g->w - x;
    if (w <= 0 || y < 0 || y >= g->h)
        return 0;

    int total = text_width(text, g->ascii);
    bool cut = total > w;
    int avail = cut && (flags & PUT_ELLIPSIS) ? w - ellw : w;
    if (avail < 0)
        avail = 0;
    int occ = cut ? w : total;
    int start = x;
    if (flags & PUT_RIGHT)
        start = x + w - occ;
    else if (flags & PUT_CENTER)
        start = x + (w - occ) / 2;

    if (flags & PUT_PAD) {
        for (int i = x; i < x + w; i++)
            if (i < start || i >= start + occ)
                put_cluster(g, i, y, " ", 1, 1, pen);
    }

    struct cluster_it it = {.p = text, .ascii = g->ascii};
    struct cluster c;
    int used = 0;
    while (cluster_next(&it, &c)) {
        if (used + c.width > avail) {
            /* A wide character with one column left: leave a space, not half. */
            if (!(cut && (flags & PUT_ELLIPSIS)) && used < avail)
                put_cluster(g, start + used++, y, " ", 1, 1, pen);
            break;
        }
        put_cluster(g, start + used, y, c.bytes, c.n, c.width, pen);
        used += c.width;
    }
    if (cut && (flags & PUT_ELLIPSIS)) {
        /* The ellipsis ends at the right of w; a space fills a gap left by a wide char. */
        while (used < avail)
            put_cluster(g, start + used++, y, " ", 1, 1, pen);
        if (w >= ellw) {
            grid_set(g, start + used, y, ell, pen);
            if (g->ascii) {
                grid_set(g, start + used + 1, y, ".", pen);
                grid_set(g, start + used + 2, y, ".", pen);
            }
            used += ellw;
        } else {
            for (int i = 0; i < w; i++)
                grid_set(g, start + i, y, ".", pen);
            used = w;
        }
    }
    return used;
}

int grid_putf(struct grid *g, int x, int y, int w, struct pen pen, unsigned flags, const char *fmt,
              ...)
{
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return grid_put(g, x, y, w, text, pen, flags);
}

void grid_fill(struct grid *g, struct rect r, const char *glyph, struct pen pen)
{
    r = rect_clip(r, (struct rect){0, 0, g->w, g->h});
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w;)
            x += grid_set(g, x, y, glyph, pen) > 1 ? 2 : 1;
}

void grid_restyle(struct grid *g, struct rect r, int role_or_neg, unsigned attrs_on)
{
    r = rect_clip(r, (struct rect){0, 0, g->w, g->h});
    for (int y = r.y; y < r.y + r.h; y++) {
        for (int x = r.x; x < r.x + r.w; x++) {
            struct cell *c = at(g, x, y);
            if (role_or_neg >= 0) {
                c->role = (uint8_t)role_or_neg;
                c->bg = ROLE_BACKGROUND;
            }
            c->attrs |= (uint8_t)attrs_on;
        }
    }
}

/* ---- lines and boxes ---------------------------------------------------- */

void grid_hline(struct grid *g, int x, int y, int w, struct pen pen)
{
    grid_fill(g, (struct rect){x, y, w, 1}, g->ascii ? "-" : "─", pen);
}

void grid_vline(struct grid *g, int x, int y, int h, struct pen pen)
{
    grid_fill(g, (struct rect){x, y, 1, h}, g->ascii ? "|" : "│", pen);
}

void grid_box(struct grid *g, struct rect r, struct pen pen, const char *title,
              struct pen title_pen)
{
    if (r.w < 2 || r.h < 2)
        return;
    int x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
    grid_hline(g, r.x + 1, r.y, r.w - 2, pen);
    grid_hline(g, r.x + 1, y1, r.w - 2, pen);
    grid_vline(g, r.x, r.y + 1, r.h - 2, pen);
    grid_vline(g, x1, r.y + 1, r.h - 2, pen);
    grid_set(g, r.x, r.y, g->ascii ? "+" : "╭", pen);
    grid_set(g, x1, r.y, g->ascii ? "+" : "╮", pen);
    grid_set(g, r.x, y1, g->ascii ? "+" : "╰", pen);
    grid_set(g, x1, y1, g->ascii ? "+" : "╯", pen);
    if (title && *title && r.w >= 6) {
        int used = grid_put(g, r.x + 2, r.y, r.w - 5, title, title_pen, PUT_ELLIPSIS);
        /* A space each side sets the title off the line. */
        grid_set(g, r.x + 1, r.y, " ", pen);
        grid_set(g, r.x + 2 + used, r.y, " ", pen);
    }
}

/* ---- rectangles --------------------------------------------------------- */

struct rect rect_inset(struct rect r, int n)
{
    r.x += n;
    r.y += n;
    r.w -= 2 * n;
    r.h -= 2 * n;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

struct rect rect_clip(struct rect r, struct rect b)
{
    int x0 = r.x > b.x ? r.x : b.x, y0 = r.y > b.y ? r.y : b.y;
    int x1 = r.x + r.w < b.x + b.w ? r.x + r.w : b.x + b.w;
    int y1 = r.y + r.h < b.y + b.h ? r.y + r.h : b.y + b.h;
    if (x1 <= x0 || y1 <= y0)
        return (struct rect){x0, y0, 0, 0};
    return (struct rect){x0, y0, x1 - x0, y1 - y0};
}

bool rect_overlaps(struct rect a, struct rect b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

bool rect_contains(struct rect o, struct rect i)
{
    return i.x >= o.x && i.y >= o.y && i.x + i.w <= o.x + o.w && i.y + i.h <= o.y + o.h;
}

/* ---- diff and text ------------------------------------------------------ */

bool cell_eq(const struct cell *a, const struct cell *b)
{
    return a->role == b->role && a->bg == b->bg && a->attrs == b->attrs && a->flags == b->flags &&
           strcmp(a->text, b->text) == 0;
}

static void runs_add(struct grid_runs *r, int x, int y, int w)
{
    if (r->n > 0) {
        struct grid_run *last = &r->v[r->n - 1];
        if (last->y == y && last->x + last->w >= x) {
            if (x + w > last->x + last->w)
                last->w = x + w - last->x;
            return;
        }
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (struct grid_run){x, y, w};
}

size_t grid_diff(const struct grid *prev, const struct grid *next, struct grid_runs *out)
{
    out->n = 0;
    if (!prev || prev->w != next->w || prev->h != next->h) {
        for (int y = 0; y < next->h; y++)
            if (next->w > 0)
                runs_add(out, 0, y, next->w);
        return out->n;
    }
    for (int y = 0; y < next->h; y++) {
        const struct cell *a = grid_cell(prev, 0, y), *b = grid_cell(next, 0, y);
        for (int x = 0; x < next->w;) {
            if (cell_eq(&a[x], &b[x])) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < next->w && !cell_eq(&a[x], &b[x]))
                x++;
            /* Widen to whole wide characters in either frame. */
            if (x0 > 0 && ((a[x0].flags | b[x0].flags) & CELL_CONT))
                x0--;
            int x1 = x;
            if (x1 < next->w && ((a[x1 - 1].flags | b[x1 - 1].flags) & CELL_WIDE))
                x1++;
            runs_add(out, x0, y, x1 - x0);
            x = x1;
        }
    }
    return out->n;
}

void grid_runs_free(struct grid_runs *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

void grid_row_text(const struct grid *g, int y, bool rtrim, struct buf *out)
{
    if (y < 0 || y >= g->h)
        return;
    size_t start = out->len;
    size_t keep = out->len;
    for (int x = 0; x < g->w; x++) {
        const struct cell *c = grid_cell(g, x, y);
        if (c->flags & CELL_CONT)
            continue;
        buf_adds(out, c->text);
        if (strcmp(c->text, " ") != 0)
            keep = out->len;
    }
    if (rtrim && out->len > keep) {
        out->len = keep > start ? keep : start;
        if (out->data)
            out->data[out->len] = '\0';
    }
}

char *grid_to_text(const struct grid *g)
{
    struct buf b = BUF_INIT;

    for (int y = 0; y < g->h; y++) {
        grid_row_text(g, y, true, &b);
        buf_addc(&b, '\n');
    }
    return buf_take(&b);
}
