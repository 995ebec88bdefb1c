/* The e2e tests' driver: onquotad on a chosen port, and the onquota client in a private tmux
 * server. */
#ifndef ONQUOTA_TEST_TUI_DRIVER_H
#define ONQUOTA_TEST_TUI_DRIVER_H

#include <stdbool.h>

#include "harness.h"

/* What the driver needs to know; the test fills work, url and token_file. */
struct tui_driver_state {
    char work[200];       /* scratch directory: XDG_CONFIG_HOME, logs, stderr files */
    char url[64];         /* the daemon the client talks to */
    char token_file[300]; /* its --token-file */
    char sock[64];        /* tmux -L socket, private to this test process */
    char errfile[300];    /* the client's stderr inside tmux */
};
extern struct tui_driver_state td;

/* Names the tmux socket after this process and kills that tmux server at
 * every exit (the forked tests' too), so no client outlives the run. Call
 * once from main. */
void tui_driver_init(void);
void tui_driver_cleanup(void);

/* Starts onquotad on port (0: a free one) against harness_db(), with redis_url
 * (NULL: $REDIS_URL), logging into td.work, and waits for /health/live; the
 * harness's harness_daemon_* functions work on the result. A fixed port lets a
 * test stop the daemon and bring it back where the client expects it. */
void tui_driver_daemon_at(struct harness_daemon *d, int port, const char *redis_url);

/* $ONQUOTA, else "onquota". */
const char *tui_driver_onquota(void);

/* Runs tmux -L td.sock with the arguments (ended by (char *)NULL); returns its
 * stdout (malloc'd). */
char *tui_driver_tmux(const char *a0, ...);

/* Runs the client in a fresh w×h tmux session, in a clean environment plus
 * env ("K=V K=V", may be "") and the sanitizers' settings, with --url
 * td.url --token-file td.token_file --interval 1 and args. The shell
 * prints EXIT=<status> when the client quits. */
void tui_driver_start(int w, int h, const char *env, const char *args);

/* The pane as text (malloc'd). */
char *tui_driver_capture(void);
void tui_driver_keys(const char *k);
void tui_driver_resize(int w, int h);

/* Waits until the screen holds want (or, with absent, no longer holds it);
 * fails the test with the screen otherwise. Returns the last capture. */
char *tui_driver_wait(const char *want, bool absent, int timeout_ms);
void tui_driver_expect(const char *want, int timeout_ms);

/* Quits with q, expects exit status 0 and a stderr free of sanitizer
 * reports, and kills the tmux server. */
void tui_driver_quit(void);

/* The suites' setup: makes td.work ($TMPDIR/onquota-NAME-PID), seeds the
 * demo data into db_url with its admin's API token in td.token_file, and
 * copies that token into token (n bytes). Returns 0, or -1 (logged). */
int tui_driver_seed(const char *db_url, const char *name, char *token, size_t n);

#endif
