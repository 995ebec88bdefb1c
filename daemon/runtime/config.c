/* The daemon's configuration: one key table, merged from defaults, file, environment, flags. */
#include "runtime/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/config_check.h"
#include "ini.h"
#include "log.h"
#include "url.h"
#include "xalloc.h"

#define DEFAULT_CONFIG_PATH "/etc/onquota/onquotad.conf"
#define ENV_NAME_MAX 64

/* ---- the table -------------------------------------------------------- */

/* offsetof with a compile-time check that the field has type T */
#define FIELD(n, T)                                                                                \
    (offsetof(struct config, n) + 0 * sizeof(_Generic(((struct config *)0)->n, T : 1)))
#define K_STR(n, d, alias, sec, chk, h)                                                            \
    {                                                                                              \
        .name = #n, .type = CONFIG_STRING, .offset = FIELD(n, char *), .def = d,                   \
        .env_alias = alias, .secret = sec, .help = h, .check = chk                                 \
    }
#define K_INT(n, d, lo, hi, h)                                                                     \
    {                                                                                              \
        .name = #n, .type = CONFIG_INT, .offset = FIELD(n, int), .def = d, .min = lo, .max = hi,   \
        .help = h                                                                                  \
    }
#define K_LONG(n, d, lo, hi, h)                                                                    \
    {                                                                                              \
        .name = #n, .type = CONFIG_LONG, .offset = FIELD(n, long), .def = d, .min = lo, .max = hi, \
        .help = h                                                                                  \
    }
#define K_BOOL(n, d, h)                                                                            \
    {                                                                                              \
        .name = #n, .type = CONFIG_BOOL, .offset = FIELD(n, bool), .def = d, .help = h             \
    }

/* Defaults starting with '@' are computed at load time (see computed_default). */
const struct config_key config_keys[] = {
    K_STR(listen, "127.0.0.1:8000", NULL, false, check_listen,
          "Address to serve HTTP on: HOST:PORT, [IPV6]:PORT or unix:/PATH"),
    K_STR(listen_socket_mode, "0660", NULL, false, check_socket_mode,
          "Permissions of a unix socket listener, in octal (0660: owner and group connect)"),
    K_STR(listen_socket_group, NULL, NULL, false, check_socket_group,
          "Group of a unix socket listener (name or number); unset keeps the process's"),
    K_STR(database_url, "@required", "DATABASE_URL", true, check_pg_url,
          "PostgreSQL URL: postgresql://, postgres:// or postgresql+asyncpg://"),
    K_STR(database_read_url, NULL, "DATABASE_READ_URL", true, check_pg_url,
          "Replica for dashboard reads; unset reads from database_url"),
    K_STR(redis_url, "redis://127.0.0.1:6379/0", "REDIS_URL", true, check_redis_url,
          "Redis URL: redis://[:PASSWORD@]HOST[:PORT][/DB], unix:///PATH?db=N or "
          "redis+sentinel://[:PASSWORD@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB]"),
    K_INT(io_threads, "@cores", 1, 64, "Threads running the HTTP event loops"),
    K_INT(db_workers, "@2cores", 1, 256, "Worker threads that do the database work"),
    K_INT(cache_ttl_kpis, "300", 1, 86400, "Seconds the KPI dashboard stays cached"),
    K_INT(cache_ttl_monthly, "600", 1, 86400, "Seconds monthly series stay cached"),
    K_INT(cache_ttl_default, "300", 1, 86400, "Seconds other cached answers stay cached"),
    K_INT(stale_if_error_s, "3600", 0, 604800,
          "Seconds a stale answer may be served while the database fails; 0 never"),
    K_BOOL(warm_after_invalidate, "false", "Recompute cached dashboards right after a write"),
    K_INT(statement_timeout_ms, "5000", 1, 3600000, "PostgreSQL statement timeout (answers 504)"),
    K_INT(redis_timeout_ms, "200", 1, 60000, "Timeout of each Redis command"),
    K_INT(db_check_timeout_ms, "1000", 1, 60000, "Timeout of the readiness SELECT 1"),
    K_INT(redis_check_timeout_ms, "500", 1, 60000, "Timeout of the readiness PING and INFO"),
    K_LONG(max_body_bytes, "1048576", 1024, 1073741824L,
           "Largest request body in bytes; a k or m suffix multiplies by 1024 or 1024^2"),
    K_INT(max_connections, "4096", 1, 1000000, "Open client connections before accepting pauses"),
    K_INT(idle_timeout_s, "30", 1, 3600, "Seconds before an idle or slow client is cut"),
    K_INT(shutdown_timeout_s, "20", 1, 3600, "Seconds in-flight requests get to finish on SIGTERM"),
    K_BOOL(ready_requires_cache, "true", "Readiness also requires Redis to answer"),
    K_STR(timezone, "UTC", NULL, false, check_timezone,
          "Time zone of days and months, a zoneinfo name (libc's TZ is ignored)"),
    K_STR(log_format, "@tty", NULL, false, check_log_format, "Log lines as json or text"),
    K_STR(log_level, "info", NULL, false, check_log_level, "debug, info, warn or error"),
    K_INT(session_ttl_hours, "12", 1, 8760, "Hours a login session lasts"),
    K_STR(rate_limit_per_token, "0", NULL, false, check_rate_limit,
          "Requests a second per token and burst, as RATE/BURST; 0 is off"),
    K_BOOL(rate_limit_shared, "false", "Sync the rate limit buckets between instances via Redis"),
    K_STR(login_throttle, "10/30", NULL, false, check_login_throttle,
          "Failed logins a minute allowed per email / per client address"),
    K_BOOL(jobs, "true", "Run the background jobs on this instance"),
    K_INT(job_quote_expiry_s, "600", 1, 86400, "Seconds between runs of the quote expiry job"),
    K_INT(job_token_cleanup_s, "3600", 1, 604800, "Seconds between runs of the token cleanup job"),
    K_INT(health_probe_s, "5", 1, 3600, "Seconds between dependency health probes"),
    K_STR(cors_origins, "", NULL, false, check_cors_origins,
          "Allowed CORS origins, comma separated SCHEME://HOST[:PORT]; empty is off"),
    K_STR(trusted_proxies, "", NULL, false, check_trusted_proxies,
          "Proxies whose X-Forwarded-For names the client: comma separated addresses, CIDR "
          "ranges, or unix (the unix socket); empty trusts none"),
    K_BOOL(bench_mode, "false",
           "Honour the cache-bypass header of bench/run (never in production)"),
};
const size_t config_keys_count = sizeof config_keys / sizeof config_keys[0];

/* Keys that existed once: naming one is an error that says what replaced it. */
static const struct {
    const char *name, *why;
} removed_keys[] = {
    {.name = "db_pool_size",
     .why = "was removed: each db worker holds one PostgreSQL connection, so db_workers sizes "
            "the pool (docs/operations.md)"},
};

/* The removed key named name[0..len) (dashes matching underscores), or -1. */
static int removed_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof removed_keys / sizeof removed_keys[0]; i++) {
        const char *k = removed_keys[i].name;
        size_t j = 0;
        while (j < len && k[j] && (k[j] == name[j] || (k[j] == '_' && name[j] == '-')))
            j++;
        if (j == len && !k[j])
            return (int)i;
    }
    return -1;
}

/* The keys a SIGHUP applies to the running daemon; every other key needs a
 * restart (docs/operations.md "Reload"). */
static const char *const live_keys[] = {
    "log_format",
    "log_level",
    "rate_limit_per_token",
    "login_throttle",
    "cors_origins",
    "idle_timeout_s",
    "shutdown_timeout_s",
    "db_check_timeout_ms",
    "redis_check_timeout_ms",
    "max_body_bytes",
    "max_connections",
    "cache_ttl_kpis",
    "cache_ttl_monthly",
    "cache_ttl_default",
    "stale_if_error_s",
    "session_ttl_hours",
    "ready_requires_cache",
    "bench_mode",
    "trusted_proxies",
};

/* How --help shows the computed defaults. */
static const struct {
    const char *def, *shown;
} computed_shown[] = {
    {"@required", "(required)"},
    {"@cores", "cores"},
    {"@2cores", "2 x cores"},
    {"@tty", "json (text on a tty)"},
};

/* ---- helpers ---------------------------------------------------------- */

/* Where a key's winning value came from; a later source beats an earlier one. */
enum source { SRC_NONE, SRC_FILE, SRC_ENV, SRC_FLAG };

struct pick {
    char *value;
    char *origin; /* "--listen", "ONQUOTA_LISTEN", "path:7" */
    enum source src;
};

#define FIELD_AT(c, k) ((void *)((char *)(c) + (k)->offset))

/* Index of the key named name[0..len), dashes matching underscores; -1 if none. */
static int key_find(const char *name, size_t len)
{
    for (size_t i = 0; i < config_keys_count; i++) {
        const char *k = config_keys[i].name;
        size_t j = 0;
        while (j < len && k[j] != '\0' && (k[j] == name[j] || (k[j] == '_' && name[j] == '-')))
            j++;
        if (j == len && k[j] == '\0')
            return (int)i;
    }
    return -1;
}

static void env_name(const struct config_key *k, char out[ENV_NAME_MAX])
{
    size_t n = (size_t)snprintf(out, ENV_NAME_MAX, "ONQUOTA_%s", k->name);

    for (size_t i = 0; i < n && i < ENV_NAME_MAX; i++)
        out[i] = (char)toupper((unsigned char)out[i]);
}

static void flag_name(const struct config_key *k, char *out, size_t size)
{
    snprintf(out, size, "--%s", k->name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

/* Keeps value as the key's value unless a source of higher precedence set it;
 * takes ownership of origin. */
static void offer(struct pick *p, enum source src, const char *value, char *origin)
{
    if (src < p->src) {
        free(origin);
        return;
    }
    free(p->value);
    free(p->origin);
    p->value = xstrdup(value);
    p->origin = origin;
    p->src = src;
}

/* ---- sources ---------------------------------------------------------- */

/* Takes the flags that name a key, and --config, out of argv; everything else
 * (and all from a "--" on) stays, in order, for the subcommand. */
static int read_flags(struct pick *picks, int *argc, char **argv, char **config_flag, char **err)
{
    int out = 1, i;

    for (i = 1; i < *argc; i++) {
        const char *arg = argv[i], *name = arg + 2, *eq, *value;
        size_t len;
        bool negated = false, is_config;
        int k;

        if (strcmp(arg, "--") == 0)
            break;
        if (strncmp(arg, "--", 2) != 0) {
            argv[out++] = argv[i];
            continue;
        }
        eq = strchr(name, '=');
        len = eq ? (size_t)(eq - name) : strlen(name);
        value = eq ? eq + 1 : NULL;
        is_config = len == 6 && strncmp(name, "config", 6) == 0;
        k = key_find(name, len);
        if (k < 0 && len > 3 && (strncmp(name, "no-", 3) == 0 || strncmp(name, "no_", 3) == 0)) {
            k = key_find(name + 3, len - 3);
            negated = k >= 0 && config_keys[k].type == CONFIG_BOOL;
            if (!negated)
                k = -1;
        }
        if (k < 0 && !is_config && removed_find(name, len) >= 0) {
            int r = removed_find(name, len);
            *err = xasprintf("%s: %.*s %s", removed_keys[r].name, (int)len + 2, arg,
                             removed_keys[r].why);
            return -1;
        }
        if (k < 0 && !is_config) {
            argv[out++] = argv[i];
            continue;
        }
        if (negated && value) {
            *err = xasprintf("%s: %.*s takes no value", config_keys[k].name, (int)len + 2, arg);
            return -1;
        }
        if (negated) {
            value = "false";
        } else if (!value && !is_config && config_keys[k].type == CONFIG_BOOL) {
            value = "true";
        } else if (!value) {
            if (i + 1 >= *argc) {
                *err = xasprintf("%s: %s needs a value", is_config ? "config" : config_keys[k].name,
                                 arg);
                return -1;
            }
            value = argv[++i];
        }
        if (is_config && *value == '\0') {
            *err = xasprintf("config: %s needs a file name", arg);
            return -1;
        }
        if (is_config) {
            free(*config_flag);
            *config_flag = xstrdup(value);
        } else {
            offer(&picks[k], SRC_FLAG, value, xasprintf("%.*s", (int)len + 2, arg));
        }
    }
    while (i < *argc)
        argv[out++] = argv[i++];
    argv[out] = NULL;
    *argc = out;
    return 0;
}

/* ONQUOTA_<KEY> for every key, and the aliases (DATABASE_URL), which lose to
 * ONQUOTA_<KEY> because they are offered first; an empty ONQUOTA_<KEY> does
 * not hide a set alias (ONQUOTA_DATABASE_URL= with DATABASE_URL set uses
 * DATABASE_URL). A removed key's variable is an error; other ONQUOTA_* are
 * ignored. */
static int read_env(struct pick *picks, char **err)
{
    for (size_t i = 0; i < sizeof removed_keys / sizeof removed_keys[0]; i++) {
        struct config_key k = {.name = removed_keys[i].name};
        char name[ENV_NAME_MAX];
        env_name(&k, name);
        if (getenv(name)) {
            *err = xasprintf("%s: %s %s", k.name, name, removed_keys[i].why);
            return -1;
        }
    }
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        char name[ENV_NAME_MAX];
        const char *v, *alias = k->env_alias ? getenv(k->env_alias) : NULL;

        if (alias)
            offer(&picks[i], SRC_ENV, alias, xstrdup(k->env_alias));
        env_name(k, name);
        if ((v = getenv(name)) && (*v || !alias || !*alias))
            offer(&picks[i], SRC_ENV, v, xstrdup(name));
    }
    return 0;
}

/* Whether a file value reveals a password: masking changes it. No key holds a
 * bare password, and a key named like one is refused as unknown anyway. */
static bool has_password(const struct config_key *k, const char *value)
{
    char *masked;
    bool differs;

    if (!k->secret)
        return false;
    masked = url_mask_secret(value);
    differs = strcmp(masked, value) != 0;
    free(masked);
    return differs;
}

/* What read_file's callback fills. */
struct file_read {
    struct pick *picks;
    const char *path;
    bool password; /* a value holds a password */
};

static int file_item(const struct ini_item *it, void *arg, char **msg)
{
    struct file_read *r = arg;
    if (*it->section && strcmp(it->section, "onquotad") != 0) {
        *msg = xasprintf("unknown section '[%s]' (only [onquotad])", it->section);
        return -1;
    }
    if (!it->key)
        return 0;
    int k = key_find(it->key, strlen(it->key));
    int gone = k < 0 ? removed_find(it->key, strlen(it->key)) : -1;
    if (gone >= 0) {
        *msg = xasprintf("%s %s", removed_keys[gone].name, removed_keys[gone].why);
        return -1;
    }
    if (k < 0) {
        *msg = xasprintf("unknown key '%s'", it->key);
        return -1;
    }
    r->password = r->password || has_password(&config_keys[k], it->value);
    offer(&r->picks[k], SRC_FILE, it->value, xasprintf("%s:%d", r->path, it->line));
    return 0;
}

/* Reads the INI file (common/ini.h) with an optional [onquotad] header.
 * Missing is fine only when !required. */
static int read_file(struct pick *picks, const char *path, bool required, char **err)
{
    FILE *f = fopen(path, "r");
    struct file_read r = {.picks = picks, .path = path};
    struct stat st;
    int rc = -1;

    if (!f) {
        if (!required && errno == ENOENT)
            return 0;
        *err = xasprintf("%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        goto out;
    }
    if (ini_parse_file(f, path, file_item, &r, err) != 0)
        goto out;
    if (r.password && (st.st_mode & S_IROTH)) {
        *err = xasprintf("%s: contains a password and is world-readable; chmod 600 it", path);
        goto out;
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

/* ---- validation and storage ------------------------------------------- */

/* Resolves a computed default into tmp; NULL for "@required". */
static const char *computed_default(const struct config_key *k, char *tmp, size_t size)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN), n;

    if (cores < 1)
        cores = 1;
    if (strcmp(k->def, "@tty") == 0)
        return isatty(STDERR_FILENO) ? "text" : "json";
    if (strcmp(k->def, "@cores") == 0)
        n = cores;
    else if (strcmp(k->def, "@2cores") == 0)
        n = 2 * cores;
    else
        return NULL;
    n = n < k->min ? k->min : n > k->max ? k->max : n;
    snprintf(tmp, size, "%ld", n);
    return tmp;
}

static int parse_bool(const char *v)
{
    static const char *const words[] = {"false", "true", "no", "yes", "off", "on", "0", "1"};

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(v, words[i]) == 0)
            return (int)(i % 2);
    return -1;
}

/* A decimal integer; with sizes, an optional k/K or m/M suffix (x 1024, x 1024^2). */
static bool parse_long(const char *v, bool sizes, long *out)
{
    long n, mult = 1;
    char *end;

    if (!isdigit((unsigned char)*v) && !(*v == '-' && isdigit((unsigned char)v[1])))
        return false;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno != 0)
        return false;
    if (sizes && (*end == 'k' || *end == 'K'))
        mult = 1024, end++;
    else if (sizes && (*end == 'm' || *end == 'M'))
        mult = 1024 * 1024, end++;
    if (*end != '\0' || n > LONG_MAX / mult || n < LONG_MIN / mult)
        return false;
    *out = n * mult;
    return true;
}

/* Validates v for k and stores it in c; v NULL means unset. */
static int store(struct config *c, const struct config_key *k, const char *v, const char *origin,
                 char **err)
{
    void *field = FIELD_AT(c, k);
    char *why = NULL;
    long n;
    int b;

    switch (k->type) {
    case CONFIG_BOOL:
        if ((b = parse_bool(v)) < 0)
            why = xstrdup("must be true or false");
        else
            *(bool *)field = b;
        break;
    case CONFIG_INT:
    case CONFIG_LONG:
        if (!parse_long(v, k->type == CONFIG_LONG, &n) || n < k->min || n > k->max)
            why = xasprintf("must be %s between %ld and %ld",
                            k->type == CONFIG_LONG ? "a size" : "an integer", k->min, k->max);
        else if (k->type == CONFIG_INT)
            *(int *)field = (int)n;
        else
            *(long *)field = n;
        break;
    case CONFIG_STRING:
        /* an empty value unsets a key that has no literal default */
        if (v && *v == '\0' && (!k->def || k->def[0] == '@'))
            v = NULL;
        if (!v && k->def) {
            char flag[64], env[ENV_NAME_MAX];
            flag_name(k, flag, sizeof flag);
            env_name(k, env);
            *err = xasprintf("%s: required (set %s or %s)", k->name,
                             k->env_alias ? k->env_alias : env, flag);
            return -1;
        }
        if (v && k->check && k->check(v, &why) != 0 && !why)
            why = xstrdup("is not valid");
        if (!why)
            *(char **)field = v ? xstrdup(v) : NULL;
        break;
    }
    if (why) {
        /* a rejected URL may still carry a password: never echo it */
        char *shown = k->secret ? url_mask_secret(v) : xstrdup(v);
        *err = xasprintf("%s: %s (got '%s' from %s)", k->name, why, shown, origin);
        free(shown);
        free(why);
        return -1;
    }
    return 0;
}

/* ---- public ----------------------------------------------------------- */

int config_load(struct config *c, int *argc, char **argv, char **err)
{
    struct pick *picks = xcalloc(config_keys_count, sizeof *picks);
    char *config_flag = NULL;
    const char *path;
    int rc = -1;

    memset(c, 0, sizeof *c);
    *err = NULL;
    if (read_flags(picks, argc, argv, &config_flag, err) != 0)
        goto out;
    if (read_env(picks, err) != 0)
        goto out;
    path = config_flag ? config_flag : getenv("ONQUOTA_CONFIG");
    if (read_file(picks, path ? path : DEFAULT_CONFIG_PATH, path != NULL, err) != 0)
        goto out;
    if (path)
        c->config_path = xstrdup(path);
    else if (access(DEFAULT_CONFIG_PATH, F_OK) == 0)
        c->config_path = xstrdup(DEFAULT_CONFIG_PATH);
    /* table order: computed defaults only refer to keys above them */
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        const char *v = picks[i].value, *origin = picks[i].origin;
        char tmp[32];

        if (picks[i].src == SRC_NONE) {
            v = k->def && k->def[0] == '@' ? computed_default(k, tmp, sizeof tmp) : k->def;
            origin = "the default";
        }
        if (store(c, k, v, origin, err) != 0)
            goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < config_keys_count; i++) {
        free(picks[i].value);
        free(picks[i].origin);
    }
    free(picks);
    free(config_flag);
    if (rc != 0)
        config_free(c);
    return rc;
}

void config_print(const struct config *c, FILE *out)
{
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        const void *field = FIELD_AT(c, k);

        switch (k->type) {
        case CONFIG_STRING: {
            const char *s = *(char *const *)field;
            char *shown = !s ? xstrdup("") : k->secret ? url_mask_secret(s) : xstrdup(s);
            fprintf(out, "%s =%s%s\n", k->name, *shown ? " " : "", shown);
            free(shown);
            break;
        }
        case CONFIG_INT:
            fprintf(out, "%s = %d\n", k->name, *(const int *)field);
            break;
        case CONFIG_LONG:
            fprintf(out, "%s = %ld\n", k->name, *(const long *)field);
            break;
        case CONFIG_BOOL:
            fprintf(out, "%s = %s\n", k->name, *(const bool *)field ? "true" : "false");
            break;
        }
    }
}

/* The --help line of one key: flag, variable and default, the help below. */
static void help_row(FILE *out, const char *flag, const char *env, const char *def,
                     const char *help, const char *alias)
{
    fprintf(out, "  %-34s %-32s %s\n      %s", flag, env, def, help);
    if (alias)
        fprintf(out, " (also %s, lower precedence)", alias);
    fputc('\n', out);
}

void config_help(FILE *out)
{
    static const char *const value_name[] = {[CONFIG_STRING] = "=VALUE",
                                             [CONFIG_INT] = "=N",
                                             [CONFIG_LONG] = "=SIZE",
                                             [CONFIG_BOOL] = ""};

    fprintf(out,
            "Configuration: flags win over the environment, which wins over the file\n"
            "(INI, key = value), which wins over the defaults.\n\n"
            "  %-34s %-32s %s\n",
            "FLAG", "ENVIRONMENT", "DEFAULT");
    help_row(out, "--config=FILE", "ONQUOTA_CONFIG", DEFAULT_CONFIG_PATH,
             "Config file; the default path may be missing, a given one may not", NULL);
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        char flag[64], env[ENV_NAME_MAX], both[96];
        const char *def = k->def ? k->def : "(unset)";

        flag_name(k, flag, sizeof flag);
        env_name(k, env);
        if (k->type == CONFIG_BOOL)
            snprintf(both, sizeof both, "--[no-]%s", flag + 2);
        else
            snprintf(both, sizeof both, "%s%s", flag, value_name[k->type]);
        for (size_t j = 0; j < sizeof computed_shown / sizeof computed_shown[0]; j++)
            if (k->def && strcmp(k->def, computed_shown[j].def) == 0)
                def = computed_shown[j].shown;
        help_row(out, both, env, *def ? def : "\"\"", k->help, k->env_alias);
    }
}

bool config_key_live(const struct config_key *k)
{
    for (size_t i = 0; i < sizeof live_keys / sizeof live_keys[0]; i++)
        if (!strcmp(live_keys[i], k->name))
            return true;
    return false;
}

/* Whether key k holds the same value in a and b. */
static bool same_value(const struct config *a, const struct config *b, const struct config_key *k)
{
    const void *fa = FIELD_AT(a, k), *fb = FIELD_AT(b, k);
    switch (k->type) {
    case CONFIG_STRING: {
        const char *sa = *(char *const *)fa, *sb = *(char *const *)fb;
        return sa == sb || (sa && sb && !strcmp(sa, sb));
    }
    case CONFIG_INT:
        return *(const int *)fa == *(const int *)fb;
    case CONFIG_LONG:
        return *(const long *)fa == *(const long *)fb;
    case CONFIG_BOOL:
        return *(const bool *)fa == *(const bool *)fb;
    }
    return true;
}

void config_keep_restart_keys(const struct config *running, struct config *fresh, char *changed,
                              size_t size)
{
    size_t used = 0;
    if (size)
        changed[0] = '\0';
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        if (config_key_live(k) || same_value(running, fresh, k))
            continue;
        if (size > used) {
            int w = snprintf(changed + used, size - used, "%s%s", used ? ", " : "", k->name);
            used += w > 0 ? (size_t)w : 0;
        }
        void *to = FIELD_AT(fresh, k);
        const void *from = FIELD_AT(running, k);
        switch (k->type) {
        case CONFIG_STRING: {
            const char *s = *(char *const *)from;
            free(*(char **)to);
            *(char **)to = s ? xstrdup(s) : NULL;
            break;
        }
        case CONFIG_INT:
            *(int *)to = *(const int *)from;
            break;
        case CONFIG_LONG:
            *(long *)to = *(const long *)from;
            break;
        case CONFIG_BOOL:
            *(bool *)to = *(const bool *)from;
            break;
        }
    }
}

void config_free(struct config *c)
{
    for (size_t i = 0; i < config_keys_count; i++)
        if (config_keys[i].type == CONFIG_STRING)
            free(*(char **)FIELD_AT(c, &config_keys[i]));
    free(c->config_path);
    memset(c, 0, sizeof *c);
}
