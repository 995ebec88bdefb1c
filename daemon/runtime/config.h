/* The daemon's configuration: one key table drives parsing, checks, --print-config, --help. */
#ifndef ONQUOTA_CONFIG_H
#define ONQUOTA_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

struct config {
    /* network and services */
    char *listen;              /* "127.0.0.1:8000", "[::1]:8000" or "unix:/path" */
    char *listen_socket_mode;  /* octal permissions of a unix socket, "0660" */
    char *listen_socket_group; /* its group (name or number), or NULL */
    char *database_url;        /* required */
    char *database_read_url;   /* optional replica for dashboard reads */
    char *redis_url;
    /* threads and pools */
    int io_threads;   /* default: number of cores */
    int db_workers;   /* default: 2 x cores */
    /* cache */
    int cache_ttl_kpis;
    int cache_ttl_monthly;
    int cache_ttl_default;
    int stale_if_error_s;
    bool warm_after_invalidate;
    /* timeouts and limits */
    int statement_timeout_ms;
    int redis_timeout_ms;
    int db_check_timeout_ms;    /* readiness SELECT 1 */
    int redis_check_timeout_ms; /* readiness PING + INFO */
    long max_body_bytes;
    int max_connections;
    int idle_timeout_s;
    int shutdown_timeout_s;
    bool ready_requires_cache;
    /* behaviour */
    char *timezone;
    char *log_format; /* json | text; default json, text on a terminal */
    char *log_level;  /* debug | info | warn | error */
    int session_ttl_hours;
    char *rate_limit_per_token; /* "0" (off) or "RATE/BURST" */
    bool rate_limit_shared;
    char *login_throttle; /* "EMAIL_PER_MIN/ADDR_PER_MIN", default "10/30" */
    bool jobs;
    int job_quote_expiry_s;
    int job_token_cleanup_s;
    int health_probe_s;
    char *cors_origins;    /* comma separated; empty = CORS off */
    char *trusted_proxies; /* comma separated CIDRs or "unix"; empty = trust none */
    bool bench_mode;       /* allows the cache-bypass header used by bench/run */
    /* where the file came from, for messages (not a key) */
    char *config_path;
};

/* Describes one key of the table (exposed for --help, tests and docs). */
enum config_type { CONFIG_STRING, CONFIG_INT, CONFIG_LONG, CONFIG_BOOL };

struct config_key {
    const char *name; /* "cache_ttl_kpis"; flag --cache-ttl-kpis or --cache_ttl_kpis */
    enum config_type type;
    size_t offset;         /* offsetof(struct config, ...) */
    const char *def;       /* default as text; NULL = unset; "@cores" style computed defaults */
    long min, max;         /* bounds for numbers */
    const char *env_alias; /* extra env name (DATABASE_URL), or NULL */
    bool secret;           /* masked by --print-config */
    const char *help;
    /* extra check of a string value, or NULL: returns 0, or -1 with a malloc'd
     * reason in *why ("must be json or text") */
    int (*check)(const char *value, char **why);
};

extern const struct config_key config_keys[];
extern const size_t config_keys_count;

/* Loads the configuration: defaults, then the INI file (--config FILE, else
 * ONQUOTA_CONFIG, else /etc/onquota/onquotad.conf if it exists), then the
 * environment (ONQUOTA_<KEY> and the aliases), then flags. Flags that name a
 * key (--key=value, --key value, booleans also bare --key / --no-key) and
 * --config are removed from argv, which is compacted; *argc is updated; other
 * arguments stay in order for the subcommand. Validates every key (type,
 * bounds, URL syntax, time zone, enum values, unknown keys in the file) before
 * returning. Returns 0, or -1 with a malloc'd one-line *err that names the key,
 * the reason and the source ("cache_ttl_kpis: must be an integer between 1 and
 * 86400 (got '-5' from ONQUOTA_CACHE_TTL_KPIS)"); c then holds nothing to free.
 * The daemon exits 2 on that error. Not thread-safe; call once at start. */
int config_load(struct config *c, int *argc, char **argv, char **err);

/* Writes "key = value" lines of the merged configuration, secrets masked
 * (passwords inside URLs become ***). */
void config_print(const struct config *c, FILE *out);

/* Writes the option list (flag, env, default, help) for --help. */
void config_help(FILE *out);

/* True when a SIGHUP applies key k to the running daemon; false when a
 * change needs a restart. */
bool config_key_live(const struct config_key *k);

/* For a SIGHUP: gives every key of fresh that needs a restart its value in
 * running again, and writes the names of those that differed ("listen,
 * io_threads"; "" when none) into changed (size bytes, truncated). */
void config_keep_restart_keys(const struct config *running, struct config *fresh, char *changed,
                              size_t size);

/* Frees the strings inside c (not c itself). */
void config_free(struct config *c);

#endif
