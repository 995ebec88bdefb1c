/* Unit tests of daemon/config.c: defaults, sources and precedence, validation, argv, printing. */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "runtime/config.h"

#define DB "postgresql://app@localhost/onquota"

static char dir[64];
static char empty_conf[128];
static char *args_buf[64];
static int args_n;

/* ---- fixture and helpers ---------------------------------------------- */

static void env_of(const char *key, char *out, size_t n)
{
    snprintf(out, n, "ONQUOTA_%s", key);
    for (char *p = out; *p; p++)
        *p = (char)toupper((unsigned char)*p);
}

/* Writes dir/name with the given mode and returns its path (static storage per call). */
static const char *write_file(const char *name, mode_t mode, const char *text)
{
    static char paths[8][128];
    static int next;
    char *path = paths[next++ % 8];
    FILE *f;

    snprintf(path, sizeof paths[0], "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(chmod(path, mode), 0);
    return path;
}

/* Clears every variable config_load reads, and points ONQUOTA_CONFIG at an
 * empty file so that a real /etc/onquota/onquotad.conf cannot interfere. */
static void setup(void)
{
    char name[96];

    strcpy(dir, "/tmp/test_config.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    for (size_t i = 0; i < config_keys_count; i++) {
        env_of(config_keys[i].name, name, sizeof name);
        unsetenv(name);
        if (config_keys[i].env_alias)
            unsetenv(config_keys[i].env_alias);
    }
    unsetenv("TZ");
    snprintf(empty_conf, sizeof empty_conf, "%s", write_file("empty.conf", 0600, ""));
    setenv("ONQUOTA_CONFIG", empty_conf, 1);
}

static void teardown(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[384];

    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Runs config_load on "onquotad" followed by args (NULL-terminated). */
static int run(struct config *c, char **err, const char *const *args)
{
    args_n = 0;
    args_buf[args_n++] = "onquotad";
    for (; *args; args++)
        args_buf[args_n++] = (char *)*args;
    args_buf[args_n] = NULL;
    return config_load(c, &args_n, args_buf, err);
}

static void load_ok(struct config *c, const char *const *args)
{
    char *err = NULL;
    int rc = run(c, &err, args);

    ck_assert_msg(rc == 0, "expected the configuration to load, got: %s", err ? err : "(no err)");
    ck_assert_ptr_null(err);
}
#define LOAD_OK(c, ...) load_ok(c, (const char *const[]){__VA_ARGS__, NULL})

/* Loads expecting failure and returns the message (caller frees). */
static char *load_err(const char *const *args)
{
    struct config c;
    char *err = NULL;

    ck_assert_msg(run(&c, &err, args) == -1, "expected the configuration to be refused");
    ck_assert_ptr_nonnull(err);
    config_free(&c); /* must be harmless after a failure */
    return err;
}
#define LOAD_ERR(...) load_err((const char *const[]){__VA_ARGS__, NULL})

static void expect_err(char *err, const char *want)
{
    ck_assert_msg(strcmp(err, want) == 0, "expected error\n  '%s'\ngot\n  '%s'", want, err);
    free(err);
}

/* The output of config_print, after a '\n' so that every line starts with one. */
static char *print_to_string(const struct config *c)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);

    fputc('\n', f);
    config_print(c, f);
    fclose(f);
    return text;
}

/* ---- defaults --------------------------------------------------------- */

START_TEST(test_literal_defaults)
{
    struct config c;
    char *text, line[256];

    setenv("DATABASE_URL", DB, 1);
    setenv("ONQUOTA_NOT_A_KEY", "ignored", 1); /* unknown variables are not errors */
    LOAD_OK(&c, NULL);
    text = print_to_string(&c);
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        if (!k->def || k->def[0] == '@')
            continue;
        snprintf(line, sizeof line, "\n%s =%s%s\n", k->name, *k->def ? " " : "", k->def);
        ck_assert_msg(strstr(text, line), "expected the line '%s' in:\n%s", line + 1, text);
    }
    ck_assert_str_eq(c.listen, "127.0.0.1:8000");
    ck_assert_str_eq(c.redis_url, "redis://127.0.0.1:6379/0");
    ck_assert_ptr_null(c.database_read_url);
    ck_assert_int_eq(c.cache_ttl_kpis, 300);
    ck_assert_int_eq(c.cache_ttl_monthly, 600);
    ck_assert_int_eq(c.max_body_bytes, 1048576);
    ck_assert(c.jobs && c.ready_requires_cache && !c.bench_mode && !c.rate_limit_shared);
    ck_assert_str_eq(c.timezone, "UTC");
    ck_assert_str_eq(c.login_throttle, "10/30");
    ck_assert_str_eq(c.cors_origins, "");
    ck_assert_str_eq(c.config_path, empty_conf);
    free(text);
    config_free(&c);
}
END_TEST

START_TEST(test_computed_defaults)
{
    struct config c;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    setenv("DATABASE_URL", DB, 1);
    LOAD_OK(&c, NULL);
    ck_assert_int_eq(c.io_threads, cores > 64 ? 64 : cores);
    ck_assert_int_eq(c.db_workers, 2 * cores > 256 ? 256 : 2 * cores);
    ck_assert_str_eq(c.log_format, isatty(STDERR_FILENO) ? "text" : "json");
    config_free(&c);

    setenv("ONQUOTA_LOG_FORMAT", "json", 1);
    LOAD_OK(&c, "--db-workers=7", "--io-threads", "3");
    ck_assert_int_eq(c.db_workers, 7);
    ck_assert_int_eq(c.io_threads, 3);
    ck_assert_str_eq(c.log_format, "json");
    config_free(&c);
}
END_TEST

START_TEST(test_database_url_required)
{
    expect_err(LOAD_ERR(NULL), "database_url: required (set DATABASE_URL or --database-url)");
    setenv("DATABASE_URL", "", 1);
    expect_err(LOAD_ERR(NULL), "database_url: required (set DATABASE_URL or --database-url)");
}
END_TEST

/* ---- sources and precedence ------------------------------------------- */

/* One key (cache_ttl_kpis) set by each pair of sources: flag > env > file > default. */
static const struct {
    const char *file, *env, *flag;
    int want;
} precedence[] = {
    {NULL, NULL, NULL, 300}, {"11", NULL, NULL, 11}, {NULL, "22", NULL, 22}, {NULL, NULL, "33", 33},
    {"11", "22", NULL, 22},  {"11", NULL, "33", 33}, {NULL, "22", "33", 33}, {"11", "22", "33", 33},
};

START_TEST(test_precedence)
{
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    if (precedence[_i].file) {
        char text[64];
        snprintf(text, sizeof text, "cache_ttl_kpis = %s\n", precedence[_i].file);
        setenv("ONQUOTA_CONFIG", write_file("p.conf", 0600, text), 1);
    }
    if (precedence[_i].env)
        setenv("ONQUOTA_CACHE_TTL_KPIS", precedence[_i].env, 1);
    if (precedence[_i].flag) {
        char flag[64];
        snprintf(flag, sizeof flag, "--cache-ttl-kpis=%s", precedence[_i].flag);
        LOAD_OK(&c, flag);
    } else {
        LOAD_OK(&c, NULL);
    }
    ck_assert_msg(c.cache_ttl_kpis == precedence[_i].want, "case %d: expected %d, got %d", _i,
                  precedence[_i].want, c.cache_ttl_kpis);
    config_free(&c);
}
END_TEST

/* The seed's DATABASE_URL works; ONQUOTA_DATABASE_URL beats it; a flag beats both. */
START_TEST(test_database_url_alias)
{
    struct config c;

    setenv("DATABASE_URL", "postgresql://alias@h/db", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.database_url, "postgresql://alias@h/db");
    config_free(&c);

    setenv("ONQUOTA_DATABASE_URL", "postgresql://onquota@h/db", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.database_url, "postgresql://onquota@h/db");
    config_free(&c);

    LOAD_OK(&c, "--database-url", "postgresql://flag@h/db");
    ck_assert_str_eq(c.database_url, "postgresql://flag@h/db");
    config_free(&c);

    setenv("DATABASE_READ_URL", "postgresql://replica@h/db", 1);
    setenv("REDIS_URL", "redis://cache:6380/2", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.database_read_url, "postgresql://replica@h/db");
    ck_assert_str_eq(c.redis_url, "redis://cache:6380/2");
    config_free(&c);

    /* an empty optional URL means unset */
    setenv("DATABASE_READ_URL", "", 1);
    LOAD_OK(&c, NULL);
    ck_assert_ptr_null(c.database_read_url);
    config_free(&c);
}
END_TEST

START_TEST(test_timezone_ignores_tz)
{
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    setenv("TZ", "Europe/Paris", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.timezone, "UTC");
    config_free(&c);
    if (access("/usr/share/zoneinfo/Europe/Paris", F_OK) == 0) {
        setenv("ONQUOTA_TIMEZONE", "Europe/Paris", 1);
        LOAD_OK(&c, NULL);
        ck_assert_str_eq(c.timezone, "Europe/Paris");
        config_free(&c);
    }
}
END_TEST

/* ---- validation ------------------------------------------------------- */

/* A value set through the environment, and the start and end the error must have. */
static const struct {
    const char *var, *value, *prefix, *suffix;
} bad[] = {
    {"ONQUOTA_IDLE_TIMEOUT_S", "abc",
     "idle_timeout_s: must be an integer between 1 and 3600 (got 'abc' from "
     "ONQUOTA_IDLE_TIMEOUT_S)",
     ""},
    {"ONQUOTA_CACHE_TTL_KPIS", "-5",
     "cache_ttl_kpis: must be an integer between 1 and 86400 (got '-5' from "
     "ONQUOTA_CACHE_TTL_KPIS)",
     ""},
    {"ONQUOTA_IO_THREADS", "65", "io_threads: must be an integer between 1 and 64", ""},
    {"ONQUOTA_STATEMENT_TIMEOUT_MS", "0", "statement_timeout_ms: must be an integer between 1", ""},
    {"ONQUOTA_MAX_CONNECTIONS", "12x", "max_connections: must be an integer", ""},
    {"ONQUOTA_SESSION_TTL_HOURS", " 12", "session_ttl_hours: must be an integer", ""},
    {"ONQUOTA_JOBS", "maybe", "jobs: must be true or false (got 'maybe' from ONQUOTA_JOBS)", ""},
    {"ONQUOTA_MAX_BODY_BYTES", "1g",
     "max_body_bytes: must be a size between 1024 and 1073741824 (got '1g'", ""},
    {"ONQUOTA_MAX_BODY_BYTES", "99999999999999999999k", "max_body_bytes: must be a size", ""},
    {"ONQUOTA_LISTEN", "8000", "listen: must be HOST:PORT, [IPV6]:PORT or unix:/PATH", ""},
    {"ONQUOTA_LISTEN", "[::1]", "listen: must be HOST:PORT", ""},
    {"ONQUOTA_LISTEN", "127.0.0.1:80/x", "listen: must be HOST:PORT", ""},
    {"ONQUOTA_LISTEN", "::1:8000", "listen: must be HOST:PORT", ""},
    {"ONQUOTA_LISTEN", "127.0.0.1:70000",
     "listen: must be HOST:PORT, [IPV6]:PORT or unix:/PATH, PORT from 1 to 65535", ""},
    {"ONQUOTA_LISTEN", "unix:run/s.sock", "listen: a unix socket path must be absolute", ""},
    {"ONQUOTA_TIMEZONE", "../../etc/passwd", "timezone: must be UTC or a zone name", ""},
    {"ONQUOTA_TIMEZONE", "/etc/passwd", "timezone: must be UTC or a zone name", ""},
    {"ONQUOTA_TIMEZONE", "Mars/Olympus_Mons", "timezone: unknown time zone", ""},
    {"ONQUOTA_LOG_LEVEL", "loud", "log_level: must be debug, info, warn or error", ""},
    {"ONQUOTA_LOG_FORMAT", "xml", "log_format: must be json or text", ""},
    {"ONQUOTA_RATE_LIMIT_PER_TOKEN", "50", "rate_limit_per_token: must be 0 or RATE/BURST", ""},
    {"ONQUOTA_RATE_LIMIT_PER_TOKEN", "50/0", "rate_limit_per_token: must be 0 or RATE/BURST", ""},
    {"ONQUOTA_LOGIN_THROTTLE", "0/30", "login_throttle: must be PER_EMAIL/PER_ADDRESS", ""},
    {"ONQUOTA_CORS_ORIGINS", "example.com", "cors_origins: 'example.com' is not an origin", ""},
    {"ONQUOTA_CORS_ORIGINS", "https://a.example,https://b.example/app",
     "cors_origins: 'https://b.example/app' is not an origin", ""},
    {"ONQUOTA_CORS_ORIGINS", "https://a.example, ", "cors_origins: '' is not an origin", ""},
    {"REDIS_URL", "http://cache:6379", "redis_url: ", "(got 'http://cache:6379' from REDIS_URL)"},
    {"ONQUOTA_DATABASE_READ_URL", "mysql://h/db",
     "database_read_url: ", "from ONQUOTA_DATABASE_READ_URL)"},
    {"ONQUOTA_TRUSTED_PROXIES", "10.0.0.0/33", "trusted_proxies: '10.0.0.0/33' is not an", ""},
    {"ONQUOTA_TRUSTED_PROXIES", "10.0.0.1, proxy.example",
     "trusted_proxies: 'proxy.example' is not an", ""},
    {"ONQUOTA_TRUSTED_PROXIES", "::1/129", "trusted_proxies: '::1/129' is not an", ""},
    /* the password of a rejected URL is masked in the message */
    {"DATABASE_URL", "mysql://app:s3cret@h/db", "database_url: ", "***@h/db' from DATABASE_URL)"},
};

START_TEST(test_bad_values)
{
    char *err;
    size_t n, m;

    setenv("DATABASE_URL", DB, 1);
    setenv(bad[_i].var, bad[_i].value, 1);
    err = LOAD_ERR(NULL);
    n = strlen(bad[_i].prefix);
    m = strlen(bad[_i].suffix);
    ck_assert_msg(strncmp(err, bad[_i].prefix, n) == 0,
                  "%s=%s: expected an error starting\n  '%s'\ngot\n  '%s'", bad[_i].var,
                  bad[_i].value, bad[_i].prefix, err);
    ck_assert_msg(strlen(err) >= m && strcmp(err + strlen(err) - m, bad[_i].suffix) == 0,
                  "%s=%s: expected an error ending '%s', got '%s'", bad[_i].var, bad[_i].value,
                  bad[_i].suffix, err);
    ck_assert_msg(!strstr(err, "s3cret"), "the password leaked: %s", err);
    free(err);
}
END_TEST

/* Values each type must accept. */
static const struct {
    const char *var, *value;
} good[] = {
    {"ONQUOTA_LISTEN", "[::1]:8000"},
    {"ONQUOTA_LISTEN", "unix:/run/onquota/onquotad.sock"},
    {"ONQUOTA_LISTEN", "0.0.0.0:80"},
    {"DATABASE_URL", "postgresql+asyncpg://app:pw@db.example:5432/onquota"},
    {"DATABASE_URL", "postgres://db/onquota"},
    {"DATABASE_URL", "host=db dbname=onquota"},
    {"REDIS_URL", "unix:///run/redis.sock?db=2"},
    {"REDIS_URL", "redis://:pw@cache:6380/1"},
    {"ONQUOTA_JOBS", "off"},
    {"ONQUOTA_JOBS", "YES"},
    {"ONQUOTA_BENCH_MODE", "1"},
    {"ONQUOTA_RATE_LIMIT_PER_TOKEN", "50/100"},
    {"ONQUOTA_CORS_ORIGINS", "https://app.example.com, http://localhost:5173"},
    {"ONQUOTA_CORS_ORIGINS", "http://[::1]:8080"},
    {"ONQUOTA_STALE_IF_ERROR_S", "0"},
    {"ONQUOTA_TIMEZONE", "UTC"},
    {"ONQUOTA_LOG_LEVEL", "debug"},
    {"ONQUOTA_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7, fd00::/8, unix"},
    {"ONQUOTA_TRUSTED_PROXIES", ""},
};

START_TEST(test_good_values)
{
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    setenv(good[_i].var, good[_i].value, 1);
    LOAD_OK(&c, NULL);
    config_free(&c);
}
END_TEST

START_TEST(test_size_suffixes)
{
    static const struct {
        const char *value;
        long want;
    } sizes[] = {
        {"4096", 4096}, {"512k", 524288}, {"64K", 65536}, {"2m", 2097152}, {"1M", 1048576}};
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        setenv("ONQUOTA_MAX_BODY_BYTES", sizes[i].value, 1);
        LOAD_OK(&c, NULL);
        ck_assert_msg(c.max_body_bytes == sizes[i].want, "%s: expected %ld, got %ld",
                      sizes[i].value, sizes[i].want, c.max_body_bytes);
        config_free(&c);
    }
}
END_TEST

/* ---- the file --------------------------------------------------------- */

START_TEST(test_file_syntax)
{
    struct config c;
    const char *path = write_file("ok.conf", 0600,
                                  "# comment\n"
                                  "; another\n"
                                  "\n"
                                  "[onquotad]\n"
                                  "database_url = \"" DB "\"\n"
                                  "  listen=127.0.0.1:9000  \n"
                                  "log-level = 'warn'\n"
                                  "cors_origins = \n"
                                  "jobs = off\n");

    LOAD_OK(&c, "--config", path);
    ck_assert_str_eq(c.database_url, DB);
    ck_assert_str_eq(c.listen, "127.0.0.1:9000");
    ck_assert_str_eq(c.log_level, "warn");
    ck_assert_str_eq(c.cors_origins, "");
    ck_assert(!c.jobs);
    ck_assert_str_eq(c.config_path, path);
    config_free(&c);

    /* Inline comments go, and so do quotes (see common/ini.h). */
    path = write_file("comments.conf", 0600,
                      "database_url = '" DB "' # the application's\n"
                      "listen = 127.0.0.1:9000 ; loopback only\n"
                      "cors_origins = \"https://a.example, https://b.example\" ; two\n"
                      "log_level = debug\t# for now\n");
    LOAD_OK(&c, "--config", path);
    ck_assert_str_eq(c.database_url, DB);
    ck_assert_str_eq(c.listen, "127.0.0.1:9000");
    ck_assert_str_eq(c.log_level, "debug");
    ck_assert_str_eq(c.cors_origins, "https://a.example, https://b.example");
    config_free(&c);
}
END_TEST

START_TEST(test_file_errors)
{
    char want[512];
    const char *path = write_file("bad.conf", 0600,
                                  "# onquotad\n\n[onquotad]\ndatabase_url = " DB "\n"
                                  "listen = 127.0.0.1:8000\n\ncache_ttl = 5\n");

    snprintf(want, sizeof want, "%s:7: unknown key 'cache_ttl'", path);
    expect_err(LOAD_ERR("--config", path), want);

    path = write_file("section.conf", 0600, "[server]\nlisten = 127.0.0.1:1\n");
    snprintf(want, sizeof want, "%s:1: unknown section '[server]' (only [onquotad])", path);
    expect_err(LOAD_ERR("--config", path), want);

    path = write_file("noeq.conf", 0600, "listen\n");
    snprintf(want, sizeof want, "%s:1: expected 'key = value'", path);
    expect_err(LOAD_ERR("--config", path), want);

    /* a value in the file is named by file and line */
    path = write_file("value.conf", 0600, "database_url = " DB "\nio_threads = many\n");
    snprintf(want, sizeof want,
             "io_threads: must be an integer between 1 and 64 (got 'many' from %s:2)", path);
    expect_err(LOAD_ERR("--config", path), want);

    /* a file given explicitly must exist, by flag or by ONQUOTA_CONFIG */
    snprintf(want, sizeof want, "%s/missing.conf", dir);
    setenv("ONQUOTA_CONFIG", want, 1);
    strcat(want, ": No such file or directory");
    expect_err(LOAD_ERR(NULL), want);
}
END_TEST

START_TEST(test_world_readable_password)
{
    struct config c;
    char want[512];
    const char *with_pw = "database_url = postgresql://app:s3cret@db/onquota\n";
    const char *path = write_file("pw.conf", 0644, with_pw);

    snprintf(want, sizeof want, "%s: contains a password and is world-readable; chmod 600 it",
             path);
    expect_err(LOAD_ERR("--config", path), want);

    path = write_file("redis.conf", 0604, "redis_url = redis://:hunter2@cache:6379/0\n");
    snprintf(want, sizeof want, "%s: contains a password and is world-readable; chmod 600 it",
             path);
    setenv("DATABASE_URL", DB, 1);
    expect_err(LOAD_ERR("--config", path), want);

    /* private with a password, or world-readable without one: both fine */
    LOAD_OK(&c, "--config", write_file("private.conf", 0600, with_pw));
    config_free(&c);
    LOAD_OK(&c, "--config", write_file("public.conf", 0644, "database_url = " DB "\n"));
    config_free(&c);
}
END_TEST

/* ---- flags ------------------------------------------------------------ */

static const struct {
    const char *env, *flag;
    bool want;
} bools[] = {
    {NULL, "--no-jobs", false},  {NULL, "--no_jobs", false},   {NULL, "--jobs=false", false},
    {NULL, "--jobs=no", false},  {"false", "--jobs", true},    {"false", "--jobs=on", true},
    {"0", "--unrelated", false}, {"true", "--no-jobs", false},
};

START_TEST(test_bool_flags)
{
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    if (bools[_i].env)
        setenv("ONQUOTA_JOBS", bools[_i].env, 1);
    LOAD_OK(&c, bools[_i].flag);
    ck_assert_msg(c.jobs == bools[_i].want, "ONQUOTA_JOBS=%s %s: expected jobs=%d",
                  bools[_i].env ? bools[_i].env : "(unset)", bools[_i].flag, bools[_i].want);
    config_free(&c);
}
END_TEST

START_TEST(test_flag_errors)
{
    setenv("DATABASE_URL", DB, 1);
    expect_err(LOAD_ERR("--no-jobs=1"), "jobs: --no-jobs takes no value");
    expect_err(LOAD_ERR("serve", "--listen"), "listen: --listen needs a value");
    expect_err(LOAD_ERR("--config"), "config: --config needs a value");
    expect_err(LOAD_ERR("--config="), "config: --config= needs a file name");
    expect_err(LOAD_ERR("--idle-timeout-s", "-1"),
               "idle_timeout_s: must be an integer between 1 and 3600 (got '-1' from "
               "--idle-timeout-s)");
}
END_TEST

/* Flags that name keys leave argv; the rest stays, in order, for the subcommand. */
START_TEST(test_argv_compaction)
{
    static const char *const want[] = {"onquotad",     "user",  "add", "--email", "a@example.com",
                                       "--role=admin", "extra", "--",  "--jobs"};
    struct config c;

    setenv("DATABASE_URL", DB, 1);
    LOAD_OK(&c, "user", "add", "--email", "a@example.com", "--cache-ttl-kpis", "9", "--role=admin",
            "--no-jobs", "--config", empty_conf, "--log_level=debug", "extra", "--", "--jobs");
    ck_assert_int_eq(args_n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < args_n; i++)
        ck_assert_msg(strcmp(args_buf[i], want[i]) == 0, "argv[%d]: expected '%s', got '%s'", i,
                      want[i], args_buf[i]);
    ck_assert_ptr_null(args_buf[args_n]);
    ck_assert_int_eq(c.cache_ttl_kpis, 9);
    ck_assert(!c.jobs); /* the --jobs after "--" belongs to the subcommand */
    ck_assert_str_eq(c.log_level, "debug");
    config_free(&c);
}
END_TEST

/* ---- output ----------------------------------------------------------- */

START_TEST(test_print_masks_secrets)
{
    struct config c;
    char *text;

    setenv("DATABASE_URL", "postgresql://app:s3cret@db/onquota", 1);
    setenv("DATABASE_READ_URL", "postgresql://ro:r3plica@replica/onquota", 1);
    setenv("REDIS_URL", "redis://:hunter2@cache:6379/0", 1);
    setenv("ONQUOTA_DB_WORKERS", "5", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.database_url, "postgresql://app:s3cret@db/onquota"); /* kept for use */
    text = print_to_string(&c);
    ck_assert_msg(!strstr(text, "s3cret") && !strstr(text, "r3plica") && !strstr(text, "hunter2"),
                  "a password leaked:\n%s", text);
    ck_assert_msg(strstr(text, "database_url = postgresql://app:***@db/onquota\n"), "%s", text);
    ck_assert_msg(strstr(text, "\ndb_workers = 5\n"), "db_workers not printed:\n%s", text);
    ck_assert_msg(strncmp(text, "\nlisten = 127.0.0.1:8000\n", 25) == 0, "table order:\n%s", text);
    free(text);
    config_free(&c);
}
END_TEST

/* db_pool_size is gone: naming it anywhere says so (issue 13 item 11). */
START_TEST(test_removed_key_says_so)
{
    char *err;
    setenv("DATABASE_URL", DB, 1);
    err = LOAD_ERR("--db-pool-size=3");
    ck_assert_msg(!strncmp(err, "db_pool_size: --db-pool-size was removed", 40), "got '%s'", err);
    free(err);
    setenv("ONQUOTA_CONFIG", write_file("gone.conf", 0600, "db_pool_size = 4\n"), 1);
    err = LOAD_ERR(NULL);
    ck_assert_msg(strstr(err, "db_pool_size was removed") && strstr(err, "db_workers"), "got '%s'",
                  err);
    free(err);
    setenv("ONQUOTA_CONFIG", empty_conf, 1);
    setenv("ONQUOTA_DB_POOL_SIZE", "2", 1);
    err = LOAD_ERR(NULL);
    ck_assert_msg(strstr(err, "ONQUOTA_DB_POOL_SIZE was removed"), "got '%s'", err);
    free(err);
    unsetenv("ONQUOTA_DB_POOL_SIZE");
}
END_TEST

/* An empty ONQUOTA_DATABASE_URL does not hide DATABASE_URL (issue 13 item 12). */
START_TEST(test_empty_variable_keeps_alias)
{
    struct config c;
    setenv("DATABASE_URL", DB, 1);
    setenv("ONQUOTA_DATABASE_URL", "", 1);
    LOAD_OK(&c, NULL);
    ck_assert_str_eq(c.database_url, DB);
    config_free(&c);
    unsetenv("DATABASE_URL");
    char *err = LOAD_ERR(NULL);
    ck_assert_msg(!strncmp(err, "database_url: required", 22), "got '%s'", err);
    free(err);
    unsetenv("ONQUOTA_DATABASE_URL");
}
END_TEST

START_TEST(test_help_lists_every_key)
{
    char *text = NULL, flag[96], env[96];
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);

    config_help(f);
    fclose(f);
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        snprintf(flag, sizeof flag, "--%s%s", k->type == CONFIG_BOOL ? "[no-]" : "", k->name);
        for (char *p = flag; *p; p++)
            *p = *p == '_' ? '-' : *p;
        env_of(k->name, env, sizeof env);
        ck_assert_msg(strstr(text, flag) && strstr(text, env) && strstr(text, k->help),
                      "%s: flag, variable or help missing from --help", k->name);
    }
    ck_assert_ptr_nonnull(strstr(text, "--cache-ttl-kpis=N"));
    ck_assert_ptr_nonnull(strstr(text, "also DATABASE_URL"));
    ck_assert_ptr_nonnull(strstr(text, "(required)"));
    free(text);
}
END_TEST

START_TEST(test_table_is_consistent)
{
    for (size_t i = 0; i < config_keys_count; i++) {
        const struct config_key *k = &config_keys[i];
        ck_assert_msg(k->help && *k->help, "%s has no help", k->name);
        ck_assert_msg(k->type == CONFIG_STRING || k->def, "%s: numbers need a default", k->name);
        ck_assert_msg(k->type == CONFIG_STRING || !k->check, "%s: checks are for strings", k->name);
        if (k->type == CONFIG_INT || k->type == CONFIG_LONG)
            ck_assert_msg(k->min <= k->max, "%s: bounds", k->name);
        for (size_t j = 0; j < i; j++) {
            ck_assert_msg(strcmp(k->name, config_keys[j].name) != 0, "%s twice", k->name);
            ck_assert_msg(k->offset != config_keys[j].offset, "%s: offset reused", k->name);
        }
    }
    ck_assert_uint_eq(config_keys_count, 36);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *t = tcase_create("config");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_literal_defaults);
    tcase_add_test(t, test_computed_defaults);
    tcase_add_test(t, test_database_url_required);
    tcase_add_loop_test(t, test_precedence, 0, sizeof precedence / sizeof precedence[0]);
    tcase_add_test(t, test_database_url_alias);
    tcase_add_test(t, test_timezone_ignores_tz);
    tcase_add_loop_test(t, test_bad_values, 0, sizeof bad / sizeof bad[0]);
    tcase_add_loop_test(t, test_good_values, 0, sizeof good / sizeof good[0]);
    tcase_add_test(t, test_size_suffixes);
    tcase_add_test(t, test_file_syntax);
    tcase_add_test(t, test_file_errors);
    tcase_add_test(t, test_world_readable_password);
    tcase_add_loop_test(t, test_bool_flags, 0, sizeof bools / sizeof bools[0]);
    tcase_add_test(t, test_flag_errors);
    tcase_add_test(t, test_argv_compaction);
    tcase_add_test(t, test_print_masks_secrets);
    tcase_add_test(t, test_help_lists_every_key);
    tcase_add_test(t, test_removed_key_says_so);
    tcase_add_test(t, test_empty_variable_keeps_alias);
    tcase_add_test(t, test_table_is_consistent);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main(config_suite());
}
