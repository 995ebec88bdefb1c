/* The daemon's administrative subcommands: migrate, seed, user add, token create, routes. */
#include "admin/cli.h"

#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/request.h"
#include "api/router.h"
#include "store/db.h"
#include "store/migrate.h"
#include "password.h"
#include "seed/seed.h"
#include "timeutil.h"
#include "token.h"
#include "url.h"
#include "uuid.h"
#include "xalloc.h"

PGconn *cli_connect(const struct config *cfg)
{
    char *err = NULL;
    char *conninfo = url_pg_conninfo(cfg->database_url, &err);
    if (!conninfo) {
        fprintf(stderr, "onquotad: database_url: %s\n", err);
        free(err);
        return NULL;
    }
    PGconn *conn = PQconnectdb(conninfo);
    free(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "onquotad: cannot connect to the database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PQclear(PQexec(conn, "SET TimeZone = 'UTC'"));
    return conn;
}

static int usage(const char *text)
{
    fprintf(stderr, "usage: %s\n", text);
    return 2;
}

/* getopt_long reports unknown options itself; we only add the usage line. */
static void reset_getopt(void)
{
    optind = 1;
    opterr = 1;
}

int cli_migrate(const struct config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {{"status", no_argument, NULL, 's'}, {0, 0, 0, 0}};
    const char *use = "onquotad migrate [--status]";
    bool status = false;
    int ch;
    reset_getopt();
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch != 's')
            return usage(use);
        status = true;
    }
    if (optind != argc)
        return usage(use);
    PGconn *conn = cli_connect(cfg);
    if (!conn)
        return 1;
    char *err = NULL;
    int rc = status ? migrate_status(conn, stdout, &err) : migrate_apply(conn, stdout, &err);
    if (rc < 0)
        fprintf(stderr, "onquotad: migrate: %s\n", err);
    free(err);
    PQfinish(conn);
    return rc < 0 ? 1 : rc;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int cli_seed(const struct config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"demo", no_argument, NULL, 'd'},
        {"scale", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"password", required_argument, NULL, 'p'},
        {"token-file", required_argument, NULL, 't'},
        {"reset", no_argument, NULL, 'r'},
        {0, 0, 0, 0},
    };
    const char *use = "onquotad seed --demo [--scale N] [--seed S] [--password P] "
                      "[--token-file F] [--reset]";
    struct seed_opts o = {.scale = 1, .seed = 1, .password = "demo", .out = stdout};
    bool demo = false;
    long v;
    int ch;
    reset_getopt();
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            demo = true;
            break;
        case 'n':
            if (!parse_long(optarg, 1, 1000, &v)) {
                fprintf(stderr, "onquotad: seed: --scale must be 1-1000 (got '%s')\n", optarg);
                return 2;
            }
            o.scale = (int)v;
            break;
        case 's':
            if (!parse_long(optarg, 0, 2147483647L, &v)) {
                fprintf(stderr, "onquotad: seed: --seed must be a non-negative integer\n");
                return 2;
            }
            o.seed = (unsigned long)v;
            break;
        case 'p':
            o.password = optarg;
            break;
        case 't':
            o.token_file = optarg;
            break;
        case 'r':
            o.reset = true;
            break;
        default:
            return usage(use);
        }
    }
    if (!demo || optind != argc)
        return usage(use);
    PGconn *conn = cli_connect(cfg);
    if (!conn)
        return 1;
    char *err = NULL;
    int rc = seed_demo(conn, &o, &err);
    if (rc != 0)
        fprintf(stderr, "onquotad: seed: %s\n", err);
    free(err);
    PQfinish(conn);
    return rc == 0 ? 0 : 1;
}

/* Reads one line (the password) from stdin, without its newline. */
static char *read_password_stdin(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n <= 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static const char *q_tenant =
    "SELECT id FROM tenants WHERE NOT is_deleted AND (id::text = $1 OR domain = $1"
    " OR company_name = $1) ORDER BY created_at LIMIT 1";

/* Finds the tenant by id, domain or company name, creating it when absent. */
static char *tenant_resolve(PGconn *conn, const char *name)
{
    const char *p[] = {name};
    PGresult *r = PQexecParams(conn, q_tenant, 1, NULL, p, NULL, NULL, 0);
    char *id = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        id = xstrdup(PQgetvalue(r, 0, 0));
    } else if (PQresultStatus(r) == PGRES_TUPLES_OK && !uuid_parse(name, NULL)) {
        PQclear(r);
        r = PQexecParams(conn, "INSERT INTO tenants (company_name) VALUES ($1) RETURNING id", 1,
                         NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            id = xstrdup(PQgetvalue(r, 0, 0));
            printf("created tenant '%s' (%s)\n", name, id);
        }
    }
    if (!id)
        fprintf(stderr, "onquotad: tenant '%s': %s\n", name,
                PQresultStatus(r) == PGRES_TUPLES_OK ? "no such tenant" : PQresultErrorMessage(r));
    PQclear(r);
    return id;
}

int cli_user(const struct config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"tenant", required_argument, NULL, 't'},   {"email", required_argument, NULL, 'e'},
        {"role", required_argument, NULL, 'r'},     {"full-name", required_argument, NULL, 'n'},
        {"password-stdin", no_argument, NULL, 'p'}, {0, 0, 0, 0},
    };
    const char *use = "onquotad user add --tenant T --email E --role R [--full-name N] "
                      "--password-stdin";
    const char *tenant = NULL, *email = NULL, *role = "sales_rep", *full_name = NULL;
    bool pw_stdin = false;
    int ch;
    if (argc < 2 || strcmp(argv[1], "add"))
        return usage(use);
    argc--, argv++;
    reset_getopt();
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            tenant = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'n':
            full_name = optarg;
            break;
        case 'p':
            pw_stdin = true;
            break;
        default:
            return usage(use);
        }
    }
    if (!tenant || !email || !pw_stdin || optind != argc)
        return usage(use);
    static const char *const roles[] = {"super_admin", "admin",   "supervisor",
                                        "sales_rep",   "analyst", NULL};
    bool role_ok = false;
    for (const char *const *r = roles; *r; r++)
        role_ok = role_ok || !strcmp(*r, role);
    if (!role_ok) {
        fprintf(stderr, "onquotad: user add: --role must be one of super_admin, admin, "
                        "supervisor, sales_rep, analyst\n");
        return 2;
    }
    if (!strchr(email, '@')) {
        fprintf(stderr, "onquotad: user add: --email must be an email address\n");
        return 2;
    }
    char *pw = read_password_stdin();
    if (!pw || strlen(pw) < 10) {
        fprintf(stderr, "onquotad: user add: the password (one line on stdin) must have 10 or "
                        "more characters\n");
        free(pw);
        return 2;
    }
    int rc = 1;
    char *err = NULL, *hash = password_hash(pw, &err), *tenant_id = NULL;
    PGconn *conn = NULL;
    if (!hash) {
        fprintf(stderr, "onquotad: user add: %s\n", err);
        goto out;
    }
    if (!(conn = cli_connect(cfg)) || !(tenant_id = tenant_resolve(conn, tenant)))
        goto out;
    const char *p[] = {tenant_id, email, hash, full_name ? full_name : email, role};
    PGresult *r = PQexecParams(conn,
                               "INSERT INTO users (tenant_id, email, hashed_password, full_name,"
                               " role) VALUES ($1, lower($2), $3, $4, $5) RETURNING id",
                               5, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        printf("created user %s (%s, %s)\n", email, PQgetvalue(r, 0, 0), role);
        rc = 0;
    } else {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        fprintf(stderr, "onquotad: user add: %s\n",
                state && !strcmp(state, "23505") ? "a user with that email already exists"
                                                 : PQresultErrorMessage(r));
    }
    PQclear(r);
out:
    free(pw);
    free(hash);
    free(err);
    free(tenant_id);
    PQfinish(conn);
    return rc;
}

int cli_token(const struct config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, 'd'},
        {0, 0, 0, 0},
    };
    const char *use = "onquotad token create --email E --name N [--days N]";
    const char *email = NULL, *name = NULL;
    long days = 0;
    int ch;
    if (argc < 2 || strcmp(argv[1], "create"))
        return usage(use);
    argc--, argv++;
    reset_getopt();
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'e':
            email = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'd':
            if (!parse_long(optarg, 1, 3650, &days)) {
                fprintf(stderr, "onquotad: token create: --days must be 1-3650\n");
                return 2;
            }
            break;
        default:
            return usage(use);
        }
    }
    if (!email || !name || optind != argc)
        return usage(use);
    PGconn *conn = cli_connect(cfg);
    if (!conn)
        return 1;
    char token[TOKEN_LEN + 1], hex[2 + 65] = "\\x", ttl[24];
    unsigned char digest[TOKEN_HASH_LEN];
    int rc = 1;
    if (token_generate(token) != 0) {
        fprintf(stderr, "onquotad: token create: no randomness available\n");
        goto out;
    }
    token_sha256(token, digest);
    hex_encode(digest, sizeof digest, hex + 2);
    snprintf(ttl, sizeof ttl, "%ld", days * 86400);
    const char *p[] = {email, name, hex, ttl};
    PGresult *r = PQexecParams(
        conn,
        "INSERT INTO auth_tokens (tenant_id, user_id, name, kind, token_hash, expires_at)"
        " SELECT u.tenant_id, u.id, $2, 'api', $3::bytea,"
        " CASE WHEN $4::bigint > 0 THEN now() + make_interval(secs => $4::bigint) END"
        " FROM users u WHERE lower(u.email) = lower($1) AND u.is_active AND NOT u.is_deleted"
        " RETURNING id",
        4, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        printf("%s\n", token); /* alone on stdout, so scripts can capture it */
        fprintf(stderr, "created token '%s' (%s) for %s\n", name, PQgetvalue(r, 0, 0), email);
        rc = 0;
    } else {
        fprintf(stderr, "onquotad: token create: %s\n",
                PQresultStatus(r) == PGRES_TUPLES_OK ? "no active user with that email"
                                                     : PQresultErrorMessage(r));
    }
    PQclear(r);
out:
    PQfinish(conn);
    return rc;
}

int cli_routes(FILE *out, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return usage("onquotad routes");
    const struct route *r;
    for (size_t i = 0; (r = router_route_at(i)); i++) {
        fprintf(out, "%s %s ", router_method_name(r->method), r->pattern);
        if (r->roles == ROLES_PUBLIC) {
            fputs("public\n", out);
            continue;
        }
        const char *sep = "";
        for (unsigned bit = 1; bit <= r->roles; bit <<= 1) {
            if (!(r->roles & bit))
                continue;
            fprintf(out, "%s%s", sep, role_name(bit));
            sep = ",";
        }
        fputc('\n', out);
    }
    return 0;
}
