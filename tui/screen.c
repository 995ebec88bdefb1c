/* The terminal via ncursesw: set-up and restore, colour modes and pairs, blits, input. */
#define NCURSES_WIDECHAR 1
#include "screen.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "keys.h"
#include "xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define SCREEN_CRASH_HANDLERS 0 /* ASan reports crashes itself */
#else
#define SCREEN_CRASH_HANDLERS 1
#endif

static struct {
    bool open;
    SCREEN *sp;
    enum color_mode mode;
    bool mouse;
    int pipe[2];
    struct termios saved;
    bool have_saved;
    char restore[160]; /* bytes that undo our terminal modes, for crash paths */
    size_t restore_len;
    struct grid *last; /* what the terminal shows */
    bool full;
    struct grid_runs runs;
    struct theme theme;
    int pair[ROLE_COUNT][ROLE_COUNT]; /* (fg role, bg role) → pair; 0 not made yet */
    int next_pair;
} S = {.pipe = {-1, -1}};

static volatile sig_atomic_t quit_flag, winch_flag;

/* ---------------------------------------------------------------- colour mode */

enum color_mode screen_pick_mode(const char *term, const char *colorterm, bool no_color, int colors,
                                 bool direct_supported)
{
    if (no_color || colors < 8)
        return COLOR_MODE_MONO;
    size_t tl = term ? strlen(term) : 0;
    bool want_direct =
        (tl > 7 && strcmp(term + tl - 7, "-direct") == 0) ||
        (colorterm && (strcmp(colorterm, "truecolor") == 0 || strcmp(colorterm, "24bit") == 0));
    if (want_direct && direct_supported)
        return COLOR_MODE_DIRECT;
    if (colors >= 256)
        return COLOR_MODE_256;
    if (colors >= 16)
        return COLOR_MODE_16;
    return COLOR_MODE_8;
}

const char *screen_mode_name(enum color_mode m)
{
    static const char *const names[] = {"mono", "8", "16", "256", "direct"};
    return (unsigned)m < 5 ? names[m] : "?";
}

/* ---------------------------------------------------------------- signals and restore */

static void wake(void)
{
    int saved = errno;
    if (S.pipe[1] >= 0) {
        ssize_t w = write(S.pipe[1], "x", 1);
        (void)w;
    }
    errno = saved;
}

static void on_quit(int sig)
{
    (void)sig;
    quit_flag = 1;
    wake();
}

static void on_winch(int sig)
{
    (void)sig;
    winch_flag = 1;
    wake();
}

#if SCREEN_CRASH_HANDLERS
/* Async-signal-safe restore: the saved tty modes and the escape strings. */
static void restore_raw(void)
{
    if (S.restore_len) {
        ssize_t w = write(STDOUT_FILENO, S.restore, S.restore_len);
        (void)w;
    }
    if (S.have_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &S.saved);
}

static void on_crash(int sig)
{
    restore_raw();
    signal(sig, SIG_DFL);
    raise(sig);
}
#endif

static void add_restore(const char *cap)
{
    const char *s = tigetstr((char *)cap);
    if (!s || s == (char *)-1)
        return;
    size_t n = strlen(s);
    if (S.restore_len + n < sizeof S.restore) {
        memcpy(S.restore + S.restore_len, s, n);
        S.restore_len += n;
    }
}

static void install(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void at_exit_close(void)
{
    screen_close();
}

/* ---------------------------------------------------------------- open and close */

/* Opens ncurses on TERM, or on its -direct sibling when COLORTERM asks for
 * true colour and such an entry exists. */
static SCREEN *open_term(const char *term, const char *colorterm)
{
    bool truecolor = colorterm && (!strcmp(colorterm, "truecolor") || !strcmp(colorterm, "24bit"));
    size_t tl = term ? strlen(term) : 0;
    if (truecolor && term && !(tl > 7 && strcmp(term + tl - 7, "-direct") == 0)) {
        char direct[64];
        size_t base = strcspn(term, "-");
        snprintf(direct, sizeof direct, "%.*s-direct", (int)base, term);
        int e = 0;
        if (setupterm(direct, STDOUT_FILENO, &e) == OK) {
            del_curterm(cur_term);
            SCREEN *sp = newterm(direct, stdout, stdin);
            if (sp)
                return sp;
        }
    }
    return newterm(term, stdout, stdin);
}

int screen_open(const struct screen_opts *o, char **err)
{
    if (S.open)
        return 0;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        *err = xstrdup("the interactive dashboard needs a terminal (try --once)");
        return -1;
    }
    const char *term = getenv("TERM");
    if (!term || !*term) {
        *err = xstrdup("TERM is not set; for a report without a terminal use --once");
        return -1;
    }
    /* A terminal that cannot move the cursor would get run-on text. */
    if (!strcmp(term, "dumb") || !strcmp(term, "unknown")) {
        *err = xasprintf("TERM=%s cannot show the dashboard; use onquota --once "
                         "(--format text, json or csv) for a report",
                         term);
        return -1;
    }
    if (pipe2(S.pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        *err = xasprintf("pipe: %s", strerror(errno));
        return -1;
    }
    S.have_saved = tcgetattr(STDIN_FILENO, &S.saved) == 0;
    /* Our handlers first: ncurses then leaves SIGINT/SIGTERM/SIGWINCH alone. */
    install(SIGINT, on_quit);
    install(SIGTERM, on_quit);
    install(SIGHUP, on_quit);
    install(SIGWINCH, on_winch);
#if SCREEN_CRASH_HANDLERS
    int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        install(crash[i], on_crash);
#endif
    set_escdelay(25);
    const char *colorterm = getenv("COLORTERM");
    S.sp = open_term(term, colorterm);
    if (!S.sp) {
        *err = xasprintf("cannot use terminal type \"%s\"", term);
        close(S.pipe[0]);
        close(S.pipe[1]);
        S.pipe[0] = S.pipe[1] = -1;
        return -1;
    }
    S.open = true;
    atexit(at_exit_close);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);

    /* COLORS is only known after start_color(); ask terminfo first. */
    int colors = has_colors() ? tigetnum("colors") : 0;
    bool direct = tigetflag("RGB") > 0 || colors >= 0x1000000;
    S.mode = screen_pick_mode(termname(), colorterm, o->no_color, colors, direct);
    if (S.mode != COLOR_MODE_MONO) {
        start_color();
        use_default_colors();
    }
    S.mouse = o->mouse;
    if (S.mouse) {
        mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0);
    }
    add_restore("sgr0");
    add_restore("cnorm");
    add_restore("rmcup");
    if (S.mouse) {
        static const char mouse_off[] = "\033[?1000l\033[?1002l\033[?1006l";
        if (S.restore_len + sizeof mouse_off - 1 < sizeof S.restore) {
            memcpy(S.restore + S.restore_len, mouse_off, sizeof mouse_off - 1);
            S.restore_len += sizeof mouse_off - 1;
        }
    }
    theme_default(&S.theme);
    S.full = true;
    return 0;
}

void screen_close(void)
{
    if (!S.open)
        return;
    S.open = false;
    if (S.mouse)
        mousemask(0, NULL);
    curs_set(1);
    endwin();
    delscreen(S.sp);
    S.sp = NULL;
    grid_free(S.last);
    S.last = NULL;
    grid_runs_free(&S.runs);
    for (int i = 0; i < 2; i++) {
        if (S.pipe[i] >= 0)
            close(S.pipe[i]);
        S.pipe[i] = -1;
    }
    S.restore_len = 0;
    signal(SIGWINCH, SIG_DFL);
}

bool screen_is_open(void)
{
    return S.open;
}

void screen_size(int *cols, int *rows)
{
    *cols = S.open ? COLS : 0;
    *rows = S.open ? LINES : 0;
}

enum color_mode screen_color_mode(void)
{
    return S.mode;
}

bool screen_quit_requested(void)
{
    return quit_flag != 0;
}

void screen_invalidate(void)
{
    S.full = true;
}

/* ---------------------------------------------------------------- colours */

/* The xterm palette's RGB of index i (for direct colour). */
static uint32_t xterm_rgb(int i)
{
    static const uint32_t ansi[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
                                      0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
                                      0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
    if (i < 16)
        return ansi[i];
    if (i < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        i -= 16;
        return (uint32_t)(lv[i / 36] << 16 | lv[(i / 6) % 6] << 8 | lv[i % 6]);
    }
    int g = 8 + (i - 232) * 10;
    return (uint32_t)(g << 16 | g << 8 | g);
}

/* The ncurses colour number of c in the current mode (-1: default). */
static int color_number(struct theme_color c)
{
    static const int ncolors[] = {0, 8, 16, 256};
    if (c.kind == THEME_COLOR_DEFAULT)
        return -1;
    if (S.mode == COLOR_MODE_DIRECT) {
        /* xterm-direct sends values below 8 as the ANSI colours. */
        if (c.kind == THEME_COLOR_INDEX && c.index < 8)
            return c.index;
        uint32_t rgb = c.kind == THEME_COLOR_RGB ? c.rgb : xterm_rgb(c.index);
        return rgb < 8 ? 8 : (int)rgb;
    }
    return theme_color_approx(c, ncolors[S.mode]);
}

/* Extra attributes that keep severity readable without colour. */
static attr_t mono_attrs(enum color_role role)
{
    switch (role) {
    case ROLE_TITLE:
    case ROLE_BORDER_FOCUS:
    case ROLE_WARN:
        return A_BOLD;
    case ROLE_BAD:
        return A_BOLD | A_UNDERLINE;
    case ROLE_SELECTED:
    case ROLE_BANNER:
        return A_REVERSE | A_BOLD;
    case ROLE_DIM:
        return A_DIM;
    default:
        return 0;
    }
}

static attr_t to_attrs(unsigned a)
{
    attr_t r = 0;
    if (a & ATTR_BOLD)
        r |= A_BOLD;
    if (a & ATTR_DIM)
        r |= A_DIM;
    if (a & ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & ATTR_REVERSE)
        r |= A_REVERSE;
    return r;
}

void screen_set_theme(const struct theme *t)
{
    S.theme = *t;
    memset(S.pair, 0, sizeof S.pair);
    S.next_pair = 1;
    S.full = true;
}

/* The pair of (fg role, bg role), made on first use; 0 when pairs run out. */
static int pair_of(enum color_role role, enum color_role bg)
{
    if (S.mode == COLOR_MODE_MONO || role >= ROLE_COUNT || bg >= ROLE_COUNT)
        return 0;
    if (S.pair[role][bg])
        return S.pair[role][bg];
    if (S.next_pair >= COLOR_PAIRS)
        return bg != ROLE_BACKGROUND ? pair_of(role, ROLE_BACKGROUND) : 0;
    struct theme_style st = theme_resolve(&S.theme, role, bg, 0);
    int p = S.next_pair++;
    init_extended_pair(p, color_number(st.fg), color_number(st.bg));
    S.pair[role][bg] = p;
    return p;
}

/* ---------------------------------------------------------------- blitting */

static void put_cell(int x, int y, const struct cell *c)
{
    wchar_t wbuf[CCHARW_MAX + 1];
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    const char *src = c->text[0] ? c->text : " ";
    size_t n = mbsrtowcs(wbuf, &src, CCHARW_MAX, &ps);
    if (n == (size_t)-1 || n == 0) {
        wbuf[0] = L'?';
        n = 1;
    }
    wbuf[n] = L'\0';
    struct theme_style st =
        theme_resolve(&S.theme, (enum color_role)c->role, (enum color_role)c->bg, c->attrs);
    attr_t a = to_attrs(st.attrs);
    if (S.mode == COLOR_MODE_MONO) {
        a |= mono_attrs((enum color_role)c->role) | to_attrs(c->attrs);
        if (c->bg == ROLE_SELECTED || c->bg == ROLE_BANNER)
            a |= A_REVERSE;
    }
    int pair = pair_of((enum color_role)c->role, (enum color_role)c->bg);
    cchar_t cc;
    setcchar(&cc, wbuf, a, 0, &pair);
    mvwadd_wch(stdscr, y, x, &cc);
}

void screen_blit(const struct grid *g)
{
    if (!S.open)
        return;
    bool full = S.full || !S.last || S.last->w != g->w || S.last->h != g->h;
    if (full) {
        /* A full repaint: the terminal may hold anything (resize, Ctrl-L). */
        clearok(curscr, TRUE);
        grid_diff(NULL, g, &S.runs);
    } else {
        grid_diff(S.last, g, &S.runs);
    }
    for (size_t i = 0; i < S.runs.n; i++) {
        const struct grid_run *r = &S.runs.v[i];
        for (int x = r->x; x < r->x + r->w && x < g->w; x++) {
            const struct cell *c = grid_cell(g, x, r->y);
            if (c && !(c->flags & CELL_CONT))
                put_cell(x, r->y, c);
        }
    }
    wnoutrefresh(stdscr);
    doupdate();
    if (!S.last)
        S.last = grid_new(g->w, g->h);
    grid_copy(S.last, g);
    S.full = false;
}

/* ---------------------------------------------------------------- input */

int screen_wait_fds(int fds[2])
{
    fds[0] = STDIN_FILENO;
    fds[1] = S.pipe[0];
    return S.pipe[0] >= 0 ? 2 : 1;
}

static int map_function_key(wint_t k)
{
    switch (k) {
    case KEY_UP:
        return KEYC_UP;
    case KEY_DOWN:
        return KEYC_DOWN;
    case KEY_LEFT:
        return KEYC_LEFT;
    case KEY_RIGHT:
        return KEYC_RIGHT;
    case KEY_PPAGE:
        return KEYC_PGUP;
    case KEY_NPAGE:
        return KEYC_PGDN;
    case KEY_HOME:
        return KEYC_HOME;
    case KEY_END:
        return KEYC_END;
    case KEY_ENTER:
        return KEYC_ENTER;
    case KEY_BTAB:
        return KEYC_BTAB;
    case KEY_BACKSPACE:
        return KEYC_BACKSPACE;
    case KEY_F(1):
        return KEYC_F1;
    case KEY_F(5):
        return KEYC_F5;
    case KEY_RESIZE:
        return KEYC_RESIZE;
    default:
        return KEYC_NONE;
    }
}

static bool read_mouse(struct screen_event *ev)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return false;
    ev->key = KEYC_MOUSE;
    ev->mx = me.x;
    ev->my = me.y;
    if (me.bstate & BUTTON4_PRESSED)
        ev->mouse = MOUSE_WHEEL_UP;
    else if (me.bstate & BUTTON5_PRESSED)
        ev->mouse = MOUSE_WHEEL_DOWN;
    else if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        ev->mouse = MOUSE_CLICK;
    else
        return false;
    return true;
}

bool screen_read(struct screen_event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (!S.open)
        return false;
    char drain[64];
    while (S.pipe[0] >= 0 && read(S.pipe[0], drain, sizeof drain) > 0) {
    }
    if (winch_flag) {
        winch_flag = 0;
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
            resize_term(ws.ws_row, ws.ws_col);
        S.full = true;
        ev->key = KEYC_RESIZE;
        return true;
    }
    for (;;) {
        wint_t wc;
        int r = wget_wch(stdscr, &wc);
        if (r == ERR)
            return false;
        if (r == KEY_CODE_YES) {
            if (wc == KEY_MOUSE) {
                if (S.mouse && read_mouse(ev))
                    return true;
                continue;
            }
            ev->key = map_function_key(wc);
            if (ev->key == KEYC_RESIZE)
                S.full = true;
            if (ev->key != KEYC_NONE)
                return true;
            continue;
        }
        switch (wc) {
        case '\n':
        case '\r':
            ev->key = KEYC_ENTER;
            break;
        case 27:
            ev->key = KEYC_ESC;
            break;
        case '\t':
            ev->key = KEYC_TAB;
            break;
        case 127:
        case 8:
            ev->key = KEYC_BACKSPACE;
            break;
        default:
            ev->key = (int)wc;
        }
        return true;
    }
}
