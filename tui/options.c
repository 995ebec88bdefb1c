/* The option table; parsing of command line, environment and config file; validation. */
#include "options.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "ini.h"
#include "keys.h"
#include "panel.h"
#include "timeutil.h"
#include "xalloc.h"

enum opt_type { T_STR, T_INT, T_BOOL };

#define CMDS_ALL ((1u << CMD_COUNT) - 1)
#define CMD_BIT(c) (1u << (c))

/* One option: its flag, environment variable, config key, type, default and help. */
struct opt_def {
    const char *name;    /* --name; also the config key (with '-' as '_') when file is true */
    const char *metavar; /* NULL for a flag */
    const char *env;     /* environment variable, or NULL */
    bool file;           /* may come from the config file */
    enum opt_type type;
    const char *def; /* default, or NULL */
    size_t off;
    long min, max; /* T_INT bounds */
    unsigned cmds; /* commands that take it */
    const char *help;
};

#define OFF(f) offsetof(struct options, f)

static const struct opt_def table[] = {
    {"url", "URL", "ONQUOTA_URL", true, T_STR, "http://127.0.0.1:8000", OFF(url), 0, 0, CMDS_ALL,
     "the daemon's base URL (http or https)"},
    {"token-file", "FILE", NULL, true, T_STR, NULL, OFF(token_file), 0, 0, CMDS_ALL,
     "read the API token from FILE (env ONQUOTA_TOKEN holds the token itself)"},
    {"interval", "SECONDS", NULL, true, T_INT, "5", OFF(interval), 1, 3600, CMD_BIT(CMD_DASHBOARD),
     "refresh interval in seconds (at least 1)"},
    {"theme", "NAME", "ONQUOTA_THEME", true, T_STR, "default", OFF(theme), 0, 0,
     CMD_BIT(CMD_DASHBOARD), "colour theme (default, dark, light, solarized-dark, ...)"},
    {"theme-dir", "DIR", NULL, true, T_STR, NULL, OFF(theme_dir), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "look for NAME.theme in DIR first"},
    {"ascii", NULL, NULL, true, T_BOOL, "false", OFF(ascii), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "draw with ASCII only (automatic when the locale is not UTF-8)"},
    {"no-color", NULL, "NO_COLOR", true, T_BOOL, "false", OFF(no_color), 0, 0,
     CMD_BIT(CMD_DASHBOARD), "monochrome (NO_COLOR is honoured)"},
    {"no-mouse", NULL, NULL, true, T_BOOL, "false", OFF(no_mouse), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "do not capture the mouse"},
    {"view", "VIEW", NULL, true, T_STR, "dashboard", OFF(view), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "first view: dashboard, quotes, expenses, quotas or health"},
    {"year", "YYYY", NULL, true, T_INT, NULL, OFF(year), 2020, 2100, CMD_BIT(CMD_DASHBOARD),
     "year of the monthly charts (default: the year of --as-of)"},
    {"as-of", "YYYY-MM-DD", NULL, true, T_STR, NULL, OFF(as_of), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "the day the dashboard treats as today (default: the daemon's today)"},
    {"lang", "en|es", NULL, true, T_STR, "en", OFF(lang), 0, 0, CMDS_ALL,
     "interface language and the API's titles (Accept-Language)"},
    {"cacert", "FILE", NULL, true, T_STR, NULL, OFF(cacert), 0, 0, CMDS_ALL,
     "CA bundle for an https URL with a private CA"},
    {"max-reply-size", "MIB", NULL, true, T_INT, "8", OFF(max_reply_mib), 1, 1024, CMDS_ALL,
     "refuse a reply body larger than MIB mebibytes"},
    {"profile", "NAME", "ONQUOTA_PROFILE", true, T_STR, NULL, OFF(profile), 0, 0, CMDS_ALL,
     "use the config file's [profile NAME] section (url, token_file, theme, ...); P switches"},
    {"once", NULL, NULL, false, T_BOOL, "false", OFF(once), 0, 0, CMD_BIT(CMD_DASHBOARD),
     "fetch once, print the view to stdout and exit"},
    {"format", "text|json|csv", NULL, false, T_STR, "text", OFF(format), 0, 0,
     CMD_BIT(CMD_DASHBOARD),
     "output of --once: text (a report of every row), json, or csv (list views)"},
    {"json", NULL, NULL, false, T_BOOL, "false", OFF(json), 0, 0, CMD_BIT(CMD_HEALTH),
     "health: print the readiness answer as JSON"},
    {"quiet", NULL, NULL, false, T_BOOL, "false", OFF(quiet), 0, 0, CMD_BIT(CMD_HEALTH),
     "health: print nothing, only the exit status"},
    {"email", "EMAIL", NULL, false, T_STR, NULL, OFF(email), 0, 0, CMD_BIT(CMD_LOGIN),
     "login: the account's email (asked when missing)"},
    {"password-stdin", NULL, NULL, false, T_BOOL, "false", OFF(password_stdin), 0, 0,
     CMD_BIT(CMD_LOGIN), "login: read the password from standard input"},
    {"help", NULL, NULL, false, T_BOOL, "false", OFF(help), 0, 0, CMDS_ALL,
     "show this help and exit"},
    {"version", NULL, NULL, false, T_BOOL, "false", OFF(version), 0, 0, CMDS_ALL,
     "show the version and exit"},
};

#define NOPT ((int)(sizeof table / sizeof table[0]))

static const char *const command_names[CMD_COUNT] = {"", "login", "logout", "health"};

/* ---------------------------------------------------------------- values */

char *options_config_dir(void)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    if (x && *x == '/')
        return xasprintf("%s/onquota", x);
    const char *home = getenv("HOME");
    return xasprintf("%s/.config/onquota", home && *home ? home : ".");
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(v, yes[i]))
            return (*out = true);
        if (!strcasecmp(v, no[i]))
            return !(*out = false);
    }
    return false;
}

/* Stores text value v of option d into o; origin names the source for messages. */
static int set_value(struct options *o, const struct opt_def *d, const char *v, const char *origin,
                     char **err)
{
    char *field = (char *)o + d->off;
    switch (d->type) {
    case T_STR:
        free(*(char **)field);
        *(char **)field = xstrdup(v);
        return 0;
    case T_BOOL:
        if (!parse_bool(v, (bool *)field)) {
            *err = xasprintf("%s: --%s wants true or false, not \"%s\"", origin, d->name, v);
            return -1;
        }
        return 0;
    case T_INT: {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < d->min || n > d->max) {
            *err = xasprintf("%s: --%s must be a whole number from %ld to %ld, not \"%s\"", origin,
                             d->name, d->min, d->max, v);
            return -1;
        }
        *(int *)field = (int)n;
        return 0;
    }
    }
    return 0;
}

char *options_config_path(void)
{
    char *dir = options_config_dir();
    char *path = xasprintf("%s/config", dir);
    free(dir);
    return path;
}

/* The NAME of a "profile NAME" section, or NULL for another section. */
static const char *profile_name(const char *section)
{
    if (strncmp(section, "profile", 7) != 0 || (section[7] != ' ' && section[7] != '\t'))
        return NULL;
    return section + 7 + strspn(section + 7, " \t");
}

/* What load_file_pass's callback works on. */
struct file_read {
    struct options *o;
    const bool *from_cli;
    const char *path;
    int pass;
    bool found;      /* pass 1: the chosen profile's section was seen */
    char *value_err; /* set_value's message, which names the place itself */
};

/* The option whose config key is k (the option name, '-' or '_'), or -1. */
static int file_key_find(const char *k)
{
    for (int i = 0; i < NOPT; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s", table[i].name);
        for (char *p = key; *p; p++)
            if (*p == '-')
                *p = '_';
        if (table[i].file && (!strcmp(k, key) || !strcmp(k, table[i].name)))
            return i;
    }
    return -1;
}

static int file_item(const struct ini_item *it, void *arg, char **msg)
{
    struct file_read *r = arg;
    const char *profile = profile_name(it->section);
    bool chosen = profile && r->o->profile && !strcmp(profile, r->o->profile);
    if (!it->key) {
        r->found = r->found || (r->pass == 1 && chosen);
        return 0;
    }
    if (r->pass == 0 ? *it->section != '\0' : !chosen)
        return 0; /* another pass's key, or a section not chosen */
    int i = file_key_find(it->key);
    if (i < 0) {
        *msg = xasprintf("unknown key \"%s\"", it->key);
        return -1;
    }
    if (r->pass == 1 && !strcmp(table[i].name, "profile")) {
        *msg = xstrdup("a profile cannot name another profile");
        return -1;
    }
    if (r->from_cli[i])
        return 0;
    char origin[300];
    snprintf(origin, sizeof origin, "%.280s:%d", r->path, it->line);
    return set_value(r->o, &table[i], it->value, origin, &r->value_err);
}

/* Reads the config file (INI, common/ini.h). Keys before any section apply
 * always; keys of a [profile NAME] section only when NAME is the chosen
 * profile (and then over the global ones); other sections are skipped.
 * Unknown keys are errors naming the line. pass 0 reads the global part,
 * pass 1 the chosen profile's section. */
static int load_file_pass(struct options *o, const bool *from_cli, int pass, bool *found,
                          char **err)
{
    char *path = options_config_path();
    FILE *f = fopen(path, "r");
    if (!f) {
        int rc = 0;
        if (errno != ENOENT) {
            *err = xasprintf("cannot read %s: %s", path, strerror(errno));
            rc = -1;
        }
        free(path);
        return rc;
    }
    struct file_read r = {.o = o, .from_cli = from_cli, .path = path, .pass = pass};
    char *e = NULL;
    int rc = ini_parse_file(f, path, file_item, &r, &e);
    if (rc != 0 && r.value_err) {
        free(e);
        e = r.value_err;
    }
    if (rc != 0)
        *err = e;
    *found = *found || r.found;
    fclose(f);
    free(path);
    return rc;
}

/* The global part, then the profile's section (--profile or
 * $ONQUOTA_PROFILE over the file's "profile = NAME"). */
static int load_file(struct options *o, const bool *from_cli, int profile_opt, char **err)
{
    bool found = false;
    if (load_file_pass(o, from_cli, 0, &found, err) != 0)
        return -1;
    const char *env = getenv("ONQUOTA_PROFILE");
    if (!from_cli[profile_opt] && env && *env) {
        free(o->profile);
        o->profile = xstrdup(env);
    }
    if (!o->profile)
        return 0;
    if (load_file_pass(o, from_cli, 1, &found, err) != 0)
        return -1;
    if (!found) {
        char *path = options_config_path();
        *err = xasprintf("no [profile %s] in %s", o->profile, path);
        free(path);
        return -1;
    }
    return 0;
}

/* Where options_profiles gathers the names. */
struct profile_list {
    char **names;
    size_t n, cap;
};

static int profile_item(const struct ini_item *it, void *arg, char **msg)
{
    (void)msg;
    struct profile_list *l = arg;
    const char *name = it->key ? NULL : profile_name(it->section);
    if (!name || !*name)
        return 0;
    if (l->n == l->cap) {
        l->cap *= 2;
        l->names = xrealloc(l->names, (l->cap + 1) * sizeof *l->names);
    }
    l->names[l->n++] = xstrdup(name);
    l->names[l->n] = NULL;
    return 0;
}

char **options_profiles(size_t *n)
{
    char *path = options_config_path();
    FILE *f = fopen(path, "r");
    struct profile_list l = {.names = xcalloc(4 + 1, sizeof(char *)), .cap = 4};
    char *err = NULL;
    if (f && ini_parse_file(f, path, profile_item, &l, &err) != 0)
        free(err); /* a malformed file: the sections before the error */
    if (f)
        fclose(f);
    free(path);
    if (n)
        *n = l.n;
    return l.names;
}

void options_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

int options_save(const char *key, const char *value, char **err)
{
    char *dir = options_config_dir();
    char *path = xasprintf("%s/config", dir);
    char *tmp = xasprintf("%s/config.%d.tmp", dir, (int)getpid());
    mkdir(dir, 0700);
    struct buf out = BUF_INIT;
    FILE *f = fopen(path, "r");
    char line[1024];
    bool done = false, in_section = false;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f)) {
        const char *k = line + strspn(line, " \t");
        if (*k == '[' && !in_section) {
            in_section = true;
            if (!done) {
                buf_printf(&out, "%s = %s\n", key, value);
                done = true;
            }
        }
        if (!in_section && !done && !strncmp(k, key, kl) &&
            (k[kl] == ' ' || k[kl] == '\t' || k[kl] == '=')) {
            buf_printf(&out, "%s = %s\n", key, value);
            done = true;
            continue;
        }
        buf_adds(&out, line);
        if (line[0] && line[strlen(line) - 1] != '\n')
            buf_adds(&out, "\n");
    }
    if (f)
        fclose(f);
    if (!done)
        buf_printf(&out, "%s = %s\n", key, value);
    int rc = -1;
    FILE *w = fopen(tmp, "w");
    if (w) {
        bool ok = fputs(buf_str(&out), w) >= 0;
        ok = fclose(w) == 0 && ok;
        if (ok && rename(tmp, path) == 0)
            rc = 0;
    }
    if (rc != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        unlink(tmp);
    }
    buf_free(&out);
    free(tmp);
    free(path);
    free(dir);
    return rc;
}

/* ---------------------------------------------------------------- validation */

bool options_check_url(const char *url, char **err)
{
    bool ok = false;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *query = NULL, *frag = NULL;
    if (!u || strpbrk(url, " \t\r\n") ||
        curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        goto out;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        goto out;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host)
        goto out;
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK)
        goto out;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        goto out;
    ok = true;
out:
    if (!ok)
        *err = xasprintf("malformed URL \"%s\" (expected http://HOST[:PORT] or https://...)", url);
    curl_free(scheme);
    curl_free(host);
    curl_free(query);
    curl_free(frag);
    curl_url_cleanup(u);
    return ok;
}

static int check_readable(const char *what, const char *path, char **err)
{
    if (access(path, R_OK) != 0) {
        *err = xasprintf("cannot read %s %s: %s", what, path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Value checks that need more than a type: names, dates, files, the theme. */
static int validate(struct options *o, char **err)
{
    if (!options_check_url(o->url, err))
        return -1;
    if ((o->view_index = view_find(o->view)) < 0) {
        *err =
            xasprintf("unknown view \"%s\" (dashboard, quotes, expenses, quotas, health)", o->view);
        return -1;
    }
    int y, m, d;
    if (o->as_of && !date_parse(o->as_of, &y, &m, &d)) {
        *err = xasprintf("--as-of must be a date YYYY-MM-DD, not \"%s\"", o->as_of);
        return -1;
    }
    if (strcmp(o->lang, "en") != 0 && strcmp(o->lang, "es") != 0) {
        *err = xasprintf("--lang must be en or es, not \"%s\"", o->lang);
        return -1;
    }
    if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0 &&
        strcmp(o->format, "csv") != 0) {
        *err = xasprintf("--format must be text, json or csv, not \"%s\"", o->format);
        return -1;
    }
    if (o->cacert && check_readable("CA file", o->cacert, err) != 0)
        return -1;
    if (o->theme_dir && access(o->theme_dir, X_OK) != 0) {
        *err = xasprintf("cannot open theme directory %s: %s", o->theme_dir, strerror(errno));
        return -1;
    }
    char *terr = NULL;
    enum theme_status ts = theme_load(o->theme, o->theme_dir, &o->theme_data, &terr);
    if (ts == THEME_NOT_FOUND) {
        *err = xasprintf("unknown theme \"%s\"", o->theme);
        free(terr);
        return -1;
    }
    if (ts == THEME_BROKEN)
        o->theme_warning = terr;
    else
        free(terr);
    const char *cs = nl_langinfo(CODESET);
    o->ascii_effective = o->ascii || !cs || strcasecmp(cs, "UTF-8") != 0;
    return 0;
}

/* The token: --token-file, then $ONQUOTA_TOKEN, then the file's token_file,
 * then the credentials file (whose URL also serves when none was given). */
static int load_token(struct options *o, bool file_given_on_cli, bool url_given, char **err)
{
    const char *env = getenv("ONQUOTA_TOKEN");
    if (o->token_file && (file_given_on_cli || !env || !*env)) {
        o->token = credentials_read_token_file(o->token_file, err);
        if (!o->token)
            return -1;
        o->token_origin = xstrdup(o->token_file);
        return 0;
    }
    if (env && *env) {
        o->token = xstrdup(env);
        o->token_origin = xstrdup("ONQUOTA_TOKEN");
        return 0;
    }
    struct credentials c;
    int rc = credentials_read(&c, err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        if (c.token) {
            o->token = c.token;
            c.token = NULL;
            o->token_origin = credentials_path();
        }
        if (!url_given && c.url) {
            free(o->url);
            o->url = c.url;
            c.url = NULL;
        }
    }
    credentials_free(&c);
    return 0;
}

/* ---------------------------------------------------------------- parsing */

int options_load(struct options *o, int argc, char **argv, char **err)
{
    memset(o, 0, sizeof *o);
    bool from_cli[NOPT] = {false};
    const char *cli_val[NOPT] = {NULL};
    struct option lopts[NOPT + 1];
    for (int i = 0; i < NOPT; i++)
        lopts[i] = (struct option){
            table[i].name, table[i].metavar ? required_argument : no_argument, NULL, 1000 + i};
    lopts[NOPT] = (struct option){NULL, 0, NULL, 0};

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":hV", lopts, NULL)) != -1) {
        if (c == 'h' || c == 'V') {
            c = 1000 + (c == 'h' ? NOPT - 2 : NOPT - 1);
        } else if (c == '?') {
            *err = optopt ? xasprintf("unknown option -%c", optopt)
                          : xasprintf("unknown option %s", argv[optind - 1]);
            return -1;
        } else if (c == ':') {
            *err = xasprintf("option %s needs a value", argv[optind - 1]);
            return -1;
        }
        int i = c - 1000;
        from_cli[i] = true;
        cli_val[i] = table[i].metavar ? optarg : "true";
    }
    if (optind < argc) {
        int k;
        for (k = 1; k < CMD_COUNT; k++)
            if (!strcmp(argv[optind], command_names[k]))
                break;
        if (k == CMD_COUNT) {
            *err = xasprintf("unknown command \"%s\" (login, logout, health)", argv[optind]);
            return -1;
        }
        o->cmd = (enum command)k;
        if (optind + 1 < argc) {
            *err = xasprintf("unexpected argument \"%s\"", argv[optind + 1]);
            return -1;
        }
    }
    for (int i = 0; i < NOPT; i++) {
        if (from_cli[i] && !(table[i].cmds & CMD_BIT(o->cmd))) {
            *err = o->cmd == CMD_DASHBOARD
                       ? xasprintf("--%s is not an option of the dashboard", table[i].name)
                       : xasprintf("--%s is not an option of onquota %s", table[i].name,
                                   command_names[o->cmd]);
            return -1;
        }
    }
    if (from_cli[NOPT - 2] || from_cli[NOPT - 1]) {
        o->help = from_cli[NOPT - 2];
        o->version = from_cli[NOPT - 1];
        return 0;
    }
    /* defaults < file < environment < command line */
    for (int i = 0; i < NOPT; i++)
        if (table[i].def && set_value(o, &table[i], table[i].def, "default", err) != 0)
            return -1;
    int profile_opt = 0;
    while (strcmp(table[profile_opt].name, "profile") != 0)
        profile_opt++;
    if (from_cli[profile_opt] &&
        set_value(o, &table[profile_opt], cli_val[profile_opt], "command line", err) != 0)
        return -1;
    if (load_file(o, from_cli, profile_opt, err) != 0)
        return -1;
    bool url_given = from_cli[0];
    for (int i = 0; i < NOPT; i++) {
        const char *v = table[i].env ? getenv(table[i].env) : NULL;
        if (from_cli[i] || !v || !*v)
            continue;
        if (i == 0)
            url_given = true;
        /* NO_COLOR is set to any non-empty value to mean "on". */
        if (table[i].type == T_BOOL)
            v = "true";
        if (set_value(o, &table[i], v, table[i].env, err) != 0)
            return -1;
    }
    for (int i = 0; i < NOPT; i++)
        if (from_cli[i] && set_value(o, &table[i], cli_val[i], "command line", err) != 0)
            return -1;
    if (from_cli[0])
        url_given = true;
    if (o->url && o->url != NULL && strcmp(o->url, table[0].def) != 0)
        url_given = true;
    bool format_given = false;
    for (int i = 0; i < NOPT; i++)
        if (from_cli[i] && !strcmp(table[i].name, "format"))
            format_given = true;
    if (format_given && !o->once) {
        *err = xstrdup("--format goes with --once");
        return -1;
    }
    if (validate(o, err) != 0)
        return -1;
    return load_token(o, from_cli[1], url_given, err);
}

void options_free(struct options *o)
{
    for (int i = 0; i < NOPT; i++)
        if (table[i].type == T_STR)
            free(*(char **)((char *)o + table[i].off));
    if (o->token)
        explicit_bzero(o->token, strlen(o->token));
    free(o->token);
    free(o->token_origin);
    free(o->theme_warning);
    memset(o, 0, sizeof *o);
}

/* ---------------------------------------------------------------- help */

void options_help(struct buf *out)
{
    buf_adds(out, "usage: onquota [options]                 the interactive dashboard\n"
                  "       onquota --once [--format text|json|csv] [--view V]\n"
                  "       onquota login [--url URL] [--email E] [--password-stdin]\n"
                  "       onquota logout\n"
                  "       onquota health [--json] [--quiet]   exit 0 ready, 1 not ready,\n"
                  "                                          2 unreachable, 3 usage error\n\n"
                  "options (command line > environment > config file > default):\n");
    for (int i = 0; i < NOPT; i++) {
        const struct opt_def *d = &table[i];
        char flag[48];
        snprintf(flag, sizeof flag, "--%s%s%s", d->name, d->metavar ? " " : "",
                 d->metavar ? d->metavar : "");
        buf_printf(out, "  %-26s %s", flag, d->help);
        if (d->env || (d->def && d->type != T_BOOL)) {
            buf_adds(out, " (");
            if (d->env)
                buf_printf(out, "env %s%s", d->env, d->def && d->type != T_BOOL ? ", " : "");
            if (d->def && d->type != T_BOOL)
                buf_printf(out, "default %s", d->def);
            buf_adds(out, ")");
        }
        buf_adds(out, "\n");
    }
    char *dir = options_config_dir();
    buf_printf(out,
               "\nenvironment: ONQUOTA_TOKEN holds the API token itself.\n"
               "config file: %s/config (INI: key = value, keys as the options with '_';\n"
               "             url, token_file, interval, theme, theme_dir, ascii, no_color,\n"
               "             no_mouse, view, year, as_of, lang, cacert, profile).\n"
               "             [profile NAME] sections hold a server's keys (url, token_file,\n"
               "             theme, ...); --profile NAME picks one, P switches in the client.\n"
               "             t (theme) and +/- (interval) are saved in the global part.\n"
               "credentials: %s/credentials (written by onquota login, mode 0600)\n"
               "\nkeys:\n",
               dir, dir);
    free(dir);
    keys_help_text(out); /* ends with the mouse line */
}
