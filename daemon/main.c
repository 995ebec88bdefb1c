/* onquotad: command-line entry point — configuration, then serve or one subcommand. */
#include <libpq-fe.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cli.h"
#include "admin/rollup.h"
#include "registry.h"
#include "runtime/config.h"
#include "log.h"
#include "runtime/metrics.h"
#include "store/migrate.h"
#include "http/server.h"
#include "url.h"
#include "xalloc.h"

static int cmd_serve(const struct config *cfg, int argc, char **argv);

/* The original command line, kept for SIGHUP's reload. */
static int saved_argc;
static char **saved_argv;

static const struct command {
    const char *name;
    int (*run)(const struct config *cfg, int argc, char **argv);
    const char *usage;
} commands[] = {
    {"serve", cmd_serve, "serve                 run the server (the default)"},
    {"migrate", cli_migrate, "migrate [--status]    apply pending schema migrations"},
    {"seed", cli_seed,
     "seed --demo [--scale N] [--seed S] [--password P] [--token-file F] [--reset]"},
    {"user", cli_user, "user add --tenant T --email E --role R [--full-name N] --password-stdin"},
    {"token", cli_token, "token create --email E --name N [--days N]"},
    {"rollup", cli_rollup, "rollup --verify|--rebuild check or refill the dashboard rollups"},
};

/* Needs no configuration, so it is run before the configuration is read. */
static const char routes_usage[] =
    "routes                print the route table: METHOD PATTERN ROLES";

static void help(FILE *out)
{
    fprintf(out, "usage: onquotad [options] [command]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "  %s\n", routes_usage);
    fprintf(out, "\noptions:\n"
                 "  --help                show this help\n"
                 "  --version             show the version\n"
                 "  --print-config        show the merged configuration (secrets masked)\n"
                 "  --config FILE         read this INI file (default /etc/onquota/onquotad.conf)\n"
                 "\nconfiguration keys (flag, environment, default):\n");
    config_help(out);
}

/* Refuses to serve a database whose schema this binary does not match. A
 * database that is down at start is not fatal: readiness reports it and the
 * workers connect once it is back. */
static int schema_check(const struct config *cfg)
{
    char *err = NULL;
    char *conninfo = url_pg_conninfo(cfg->database_url, &err);
    if (!conninfo) {
        log_msg(LOG_ERROR, "database_url: %s", err);
        free(err);
        return -1;
    }
    PGconn *conn = PQconnectdb(conninfo);
    free(conninfo);
    int rc = 0;
    if (PQstatus(conn) != CONNECTION_OK) {
        char *msg = xstrdup(PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = '\0';
        log_msg(LOG_WARN, "database unreachable at start (%s); serving, readiness will say so",
                msg);
        free(msg);
    } else if (migrate_check(conn, &err) != 0) {
        log_msg(LOG_ERROR, "%s", err);
        free(err);
        rc = -1;
    } else {
        /* The dashboard reads rollups by day in the configured zone. */
        bool rebuilt = false;
        if (rollup_follow_zone(conn, cfg->timezone, &rebuilt, &err) != 0) {
            log_msg(LOG_ERROR, "rollups: %s", err);
            free(err);
            rc = -1;
        } else if (rebuilt) {
            log_msg(LOG_INFO, "rollups rebuilt for time zone %s", cfg->timezone);
        }
    }
    PQfinish(conn);
    return rc;
}

static void apply_logging(const struct config *cfg)
{
    enum log_format lf = LOG_FORMAT_JSON;
    enum log_level ll = LOG_INFO;
    log_format_parse(cfg->log_format, &lf);
    log_level_parse(cfg->log_level, &ll);
    log_setup(lf, ll);
}

/* SIGHUP: reads the configuration again from the same command line,
 * environment and file, and applies the log settings; server_run applies
 * the rest. Returns the fresh configuration (malloc'd, caller frees), or
 * NULL when it is broken: the running values then stay. */
static struct config *reload(void)
{
    struct config *fresh = xcalloc(1, sizeof *fresh);
    char *err = NULL;
    int argc = saved_argc;
    char **argv = xcalloc((size_t)argc + 1, sizeof *argv);
    memcpy(argv, saved_argv, (size_t)argc * sizeof *argv);
    if (config_load(fresh, &argc, argv, &err) != 0) {
        log_msg(LOG_ERROR, "SIGHUP: configuration not reloaded: %s", err);
        free(err);
        free(fresh);
        fresh = NULL;
    } else {
        apply_logging(fresh);
    }
    free(argv);
    return fresh;
}

static int cmd_serve(const struct config *cfg, int argc, char **argv)
{
    /* Large answers (a page of 100 quotes is ~200 KB) are built and freed on
     * every request: keep freed memory in the heap instead of returning it
     * to the kernel each time, which costs a page fault per page next time. */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "onquotad: serve takes no arguments (got '%s')\n", argv[1]);
        return 2;
    }
    struct redis_target rt;
    char *err = NULL;
    if (url_redis_parse(cfg->redis_url, &rt, &err) != 0) {
        fprintf(stderr, "onquotad: redis_url: %s\n", err);
        free(err);
        return 2;
    }
    int rc = schema_check(cfg) == 0 ? server_run(cfg, &rt, registry_statements(), reload) : 1;
    redis_target_free(&rt);
    return rc;
}

int main(int argc, char **argv)
{
    struct config cfg;
    char *err = NULL;
    bool want_help = false, want_version = false, want_print = false;
    router_init(registry_routes());

    /* The three informational flags may stand anywhere before the command. */
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            want_help = true;
        else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V"))
            want_version = true;
        else if (!strcmp(argv[i], "--print-config"))
            want_print = true;
        else
            argv[n++] = argv[i];
    }
    argc = n;
    argv[argc] = NULL;
    if (want_version) {
        printf("onquotad %s\n", ONQUOTA_VERSION);
        return 0;
    }
    if (want_help) {
        help(stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "routes"))
        return cli_routes(stdout, argc - 1, argv + 1);
    saved_argc = argc;
    saved_argv = xcalloc((size_t)argc + 1, sizeof *saved_argv);
    memcpy(saved_argv, argv, (size_t)argc * sizeof *argv);
    if (config_load(&cfg, &argc, argv, &err) != 0) {
        fprintf(stderr, "onquotad: %s\n", err);
        free(err);
        free(saved_argv);
        return 2;
    }
    int rc = 2;
    /* argv[1] is now the command (or nothing, or a stray option). A stray
     * option is bad configuration even with --print-config. */
    const char *name = argc > 1 ? argv[1] : "serve";
    if (name[0] == '-') {
        fprintf(stderr, "onquotad: unknown option '%s' (see onquotad --help)\n", name);
        goto out;
    }
    if (want_print) {
        config_print(&cfg, stdout);
        rc = 0;
        goto out;
    }
    apply_logging(&cfg);
    metrics_init(ONQUOTA_VERSION);

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (!strcmp(commands[i].name, name)) {
            rc = argc > 1 ? commands[i].run(&cfg, argc - 1, argv + 1)
                          : commands[i].run(&cfg, 1, (char *[]){"serve", NULL});
            goto out;
        }
    }
    fprintf(stderr, "onquotad: unknown command '%s' (see onquotad --help)\n", name);
out:
    config_free(&cfg);
    free(saved_argv);
    return rc;
}
