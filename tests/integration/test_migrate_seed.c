/* test_migrate_seed.c: migrations and the demo seed against a real PostgreSQL (DATABASE_URL). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/migrate.h"
#include "seed/seed.h"

#define LOCK_KEY "5723601741257400653" /* migrate.c's advisory lock */

static char base_url[1024]; /* DATABASE_URL, normalised; its database is the maintenance one */
static char prefix[64];     /* onquota_t_migrate_<pid>: scratch databases of this run */
static const char *const suffixes[] = {"m", "t", "f", "a", "b", "c"};

/* --------------------------------------------------------------- helpers */

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "database ... does not exist, skipping" and the like */
}

/* Connects to scratch database `suffix`, or to DATABASE_URL's own when NULL. */
static PGconn *db_connect(const char *suffix)
{
    char name[128];
    const char *keys[] = {"dbname", suffix ? "dbname" : NULL, NULL};
    const char *vals[] = {base_url, name, NULL};
    PGconn *c;

    snprintf(name, sizeof name, "%s_%s", prefix, suffix ? suffix : "");
    c = PQconnectdbParams(keys, vals, 1);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connecting to %s: %s",
                  suffix ? name : "DATABASE_URL", PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

static void exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
                  "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* The first value of `sql` (malloc'd; "" for NULL). */
static char *query_text(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    char *v;
    ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1, "%s: %s", sql,
                  PQerrorMessage(c));
    v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static long query_long(PGconn *c, const char *sql)
{
    char *v = query_text(c, sql);
    long n = atol(v);
    free(v);
    return n;
}

/* Where the seed test writes its API token; removed with the databases. */
static void token_path(char *buf, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/%s_token", dir && *dir ? dir : "/tmp", prefix);
}

static void drop_scratch(PGconn *m, const char *suffix)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s_%s WITH (FORCE)", prefix, suffix);
    exec_ok(m, sql);
}

/* A fresh, empty scratch database. */
static void create_scratch(const char *suffix)
{
    PGconn *m = db_connect(NULL);
    char sql[256];
    drop_scratch(m, suffix);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s_%s TEMPLATE template0", prefix, suffix);
    exec_ok(m, sql);
    PQfinish(m);
}

/* A fresh scratch database with every migration applied; returns a connection to it. */
static PGconn *migrated_scratch(const char *suffix)
{
    PGconn *c;
    char *err = NULL;

    create_scratch(suffix);
    c = db_connect(suffix);
    ck_assert_msg(migrate_apply(c, NULL, &err) == 0, "migrate: %s", err);
    return c;
}

/* Everything a re-run of the migrations must leave untouched. */
static char *schema_fingerprint(PGconn *c)
{
    return query_text(
        c, "SELECT concat_ws('|',"
           " (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'),"
           " (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'),"
           " (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
           "   WHERE schemaname = 'public'),"
           " (SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
           "   WHERE n.nspname = 'public'),"
           " (SELECT string_agg(version || ':' || name || ':' || checksum || ':' || applied_at,"
           "   ',' ORDER BY version) FROM schema_migrations))");
}

/* Runs f with a memory stream as `out`; returns what it printed (malloc'd). */
#define CAPTURE(outvar, rcvar, call)                                                               \
    do {                                                                                           \
        char *buf_ = NULL;                                                                         \
        size_t len_ = 0;                                                                           \
        FILE *out = open_memstream(&buf_, &len_);                                                  \
        rcvar = (call);                                                                            \
        fclose(out);                                                                               \
        outvar = buf_;                                                                             \
    } while (0)

/* ------------------------------------------------------------- migrations */

START_TEST(migrate_applies_once_and_is_idempotent)
{
    PGconn *c, *other;
    char *err = NULL, *out1, *out2, *before, *after, *status;
    int rc;

    create_scratch("m");
    c = db_connect("m");
    ck_assert_msg(migrate_check(c, &err) == -1 && strstr(err, "001_initial.sql is pending"),
                  "an empty database must report 001 pending, got: %s", err ? err : "(ok)");
    free(err);
    err = NULL;

    CAPTURE(out1, rc, migrate_apply(c, out, &err));
    ck_assert_msg(rc == 0, "first migrate: %s", err);
    ck_assert_msg(strstr(out1, "applied 001_initial.sql\n"), "first run printed: %s", out1);
    before = schema_fingerprint(c);

    CAPTURE(out2, rc, migrate_apply(c, out, &err));
    ck_assert_msg(rc == 0, "second migrate: %s", err);
    ck_assert_msg(strcmp(out2, "up to date\n") == 0, "second run printed: %s", out2);
    after = schema_fingerprint(c);
    ck_assert_msg(strcmp(before, after) == 0, "a second run changed the schema:\n%s\n%s", before,
                  after);

    CAPTURE(status, rc, migrate_status(c, out, &err));
    ck_assert_msg(rc == 0, "status returned %d (%s)", rc, err ? err : "");
    ck_assert_msg(strstr(status, "001_initial.sql") && strstr(status, "applied 20"),
                  "status printed: %s", status);
    ck_assert_msg(migrate_check(c, &err) == 0, "check: %s", err);
    ck_assert_int_eq(query_long(c, "SELECT count(*) FROM schema_migrations"),
                     (long)migrations_embedded_count);
    other = db_connect("m");
    ck_assert_int_eq(query_long(other, "SELECT pg_try_advisory_lock(" LOCK_KEY ")::int"), 1);
    PQfinish(other);

    free(out1);
    free(out2);
    free(before);
    free(after);
    free(status);
    PQfinish(c);
}
END_TEST

/* What data.md fixes about the schema, as (query, expected) pairs. */
static const struct {
    const char *what, *sql;
    long want;
} schema_facts[] = {
    {"tables", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", 11},
    {"enums",
     "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
     " WHERE n.nspname = 'public' AND t.typtype = 'e'",
     9},
    {"industry values", "SELECT count(*) FROM unnest(enum_range(NULL::industry))", 14},
    {"user_role values", "SELECT count(*) FROM unnest(enum_range(NULL::user_role))", 5},
    {"tables with id, created_at, updated_at",
     "SELECT count(*) FROM (SELECT table_name FROM information_schema.columns"
     " WHERE table_schema = 'public' AND table_name <> 'schema_migrations'"
     " AND column_name IN ('id', 'created_at', 'updated_at')"
     " GROUP BY 1 HAVING count(*) = 3) x",
     10},
    {"tenant-owned tables",
     "SELECT count(*) FROM information_schema.columns"
     " WHERE table_schema = 'public' AND column_name = 'tenant_id'"
     " AND is_nullable = 'NO'",
     9},
    {"soft-deletable tables",
     "SELECT count(*) FROM information_schema.columns"
     " WHERE table_schema = 'public' AND column_name = 'is_deleted'",
     7},
    {"dashboard indexes",
     "SELECT count(*) FROM pg_indexes WHERE indexname IN ('quotes_tenant_status_created_idx',"
     " 'quotes_tenant_rep_status_created_idx', 'expenses_tenant_status_date_idx',"
     " 'clients_tenant_status_idx', 'clients_tenant_created_idx', 'quote_items_quote_idx',"
     " 'quotas_tenant_period_idx')",
     7},
};

START_TEST(schema_matches_data_md)
{
    PGconn *c = migrated_scratch("f");
    PGresult *r;

    for (size_t i = 0; i < sizeof schema_facts / sizeof schema_facts[0]; i++) {
        long got = query_long(c, schema_facts[i].sql);
        ck_assert_msg(got == schema_facts[i].want, "%s: expected %ld, got %ld",
                      schema_facts[i].what, schema_facts[i].want, got);
    }
    /* Category names are unique per tenant among undeleted rows only. */
    exec_ok(c, "INSERT INTO tenants (id, company_name) VALUES"
               " ('00000000-0000-4000-8000-000000000001', 'T')");
    exec_ok(c, "INSERT INTO expense_categories (tenant_id, name) VALUES"
               " ('00000000-0000-4000-8000-000000000001', 'FUEL')");
    r = PQexec(c, "INSERT INTO expense_categories (tenant_id, name) VALUES"
                  " ('00000000-0000-4000-8000-000000000001', 'FUEL')");
    ck_assert_msg(PQresultStatus(r) == PGRES_FATAL_ERROR &&
                      strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23505") == 0,
                  "a duplicate undeleted category name must be a unique violation");
    PQclear(r);
    exec_ok(c, "UPDATE expense_categories SET is_deleted = true, deleted_at = now()");
    exec_ok(c, "INSERT INTO expense_categories (tenant_id, name) VALUES"
               " ('00000000-0000-4000-8000-000000000001', 'FUEL')");
    PQfinish(c);
}
END_TEST

START_TEST(migrate_refuses_changed_and_reports_pending)
{
    const struct migration_file files[] = {
        migrations_embedded[0],
        {900, "900_test.sql", "CREATE TABLE t_extra (x int);\n"},
    };
    const struct migration_file badfiles[] = {
        migrations_embedded[0],
        {901, "901_bad.sql", "CREATE TABLE t_bad (x int);\nSELECT no_such_column FROM t_bad;\n"},
    };
    PGconn *c = migrated_scratch("t"), *other;
    char *err = NULL, *out1;
    int rc;

    /* A file this binary does not have yet is pending, then applied. */
    ck_assert_msg(migrate_check_files(c, files, 2, &err) == -1 &&
                      strcmp(err, "migration 900_test.sql is pending; run onquotad migrate") == 0,
                  "got: %s", err ? err : "(ok)");
    free(err);
    CAPTURE(out1, rc, migrate_status_files(c, files, 2, out, &err));
    ck_assert_msg(rc == 1 && strstr(out1, "900_test.sql") && strstr(out1, "pending"),
                  "status rc %d printed: %s", rc, out1);
    free(out1);
    CAPTURE(out1, rc, migrate_apply_files(c, files, 2, out, &err));
    ck_assert_msg(rc == 0 && strcmp(out1, "applied 900_test.sql\n") == 0, "apply: %s / %s", out1,
                  err ? err : "");
    free(out1);

    /* A failing file rolls back entirely and names itself and the line. */
    ck_assert_int_eq(migrate_apply_files(c, badfiles, 2, NULL, &err), -1);
    ck_assert_msg(strstr(err, "901_bad.sql") && strstr(err, "line 2"), "got: %s", err);
    free(err);
    ck_assert_int_eq(query_long(c, "SELECT (to_regclass('t_bad') IS NULL)::int"), 1);
    ck_assert_int_eq(query_long(c, "SELECT count(*) FROM schema_migrations WHERE version = 901"),
                     0);

    /* A tampered checksum stops check, apply and start, naming the file. */
    exec_ok(c, "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 1");
    ck_assert_int_eq(migrate_check(c, &err), -1);
    ck_assert_str_eq(
        err, "migration 001_initial.sql has changed since it was applied (checksum mismatch)");
    free(err);
    ck_assert_int_eq(migrate_apply(c, NULL, &err), -1);
    ck_assert_msg(strstr(err, "001_initial.sql") && strstr(err, "checksum mismatch"), "got: %s",
                  err);
    free(err);
    CAPTURE(out1, rc, migrate_status(c, out, &err));
    ck_assert_msg(rc == 1 && strstr(out1, "CHANGED"), "status rc %d printed: %s", rc, out1);
    free(out1);
    /* The failed apply released its advisory lock (session locks are
     * re-entrant, so ask from another session). */
    other = db_connect("t");
    ck_assert_int_eq(query_long(other, "SELECT pg_try_advisory_lock(" LOCK_KEY ")::int"), 1);
    PQfinish(other);
    PQfinish(c);
}
END_TEST

/* ------------------------------------------------------------------- seed */

/* Counts, sums and dates that the same seed must reproduce exactly. */
static char *data_fingerprint(PGconn *c)
{
    return query_text(
        c, "SELECT concat_ws('|',"
           " (SELECT string_agg(s || ':' || n || ':' || t, ',' ORDER BY s) FROM (SELECT"
           "   status::text s, count(*) n, sum(total_amount) t FROM quotes GROUP BY 1) x),"
           " (SELECT string_agg(s || ':' || n || ':' || t, ',' ORDER BY s) FROM (SELECT"
           "   status::text s, count(*) n, sum(amount) t FROM expenses GROUP BY 1) x),"
           " (SELECT count(*) || ':' || sum(subtotal) FROM quote_items),"
           " (SELECT count(*) || ':' || sum(target_amount) FROM quotas),"
           " (SELECT string_agg(s || ':' || n, ',' ORDER BY s) FROM (SELECT"
           "   status::text s, count(*) n FROM clients GROUP BY 1) x),"
           " (SELECT count(*) FROM vehicles), (SELECT count(*) FROM users),"
           " (SELECT sum((created_at AT TIME ZONE 'UTC')::date - DATE '2000-01-01') FROM quotes),"
           " (SELECT sum(date - DATE '2000-01-01') FROM expenses))");
}

static PGconn *seeded_scratch(const char *suffix, unsigned long seed, const char *token_file,
                              char **printed)
{
    PGconn *c = migrated_scratch(suffix);
    struct seed_opts o = {.scale = 1, .seed = seed, .token_file = token_file};
    char *err = NULL;
    int rc;

    CAPTURE(*printed, rc, (o.out = out, seed_demo(c, &o, &err)));
    ck_assert_msg(rc == 0, "seed %lu: %s", seed, err);
    return c;
}

/* What data.md's "Demo data" fixes at scale 1, as (query, expected) pairs. */
static const struct {
    const char *what, *sql;
    long want;
} demo_facts[] = {
    {"tenants",
     "SELECT count(*) FROM tenants WHERE company_name IN"
     " ('Acme Distribución', 'Borealis Foods')",
     2},
    {"users per role",
     "SELECT count(*) FROM (SELECT tenant_id, count(*) FILTER (WHERE role = 'admin') a,"
     " count(*) FILTER (WHERE role = 'supervisor') s, count(*) FILTER (WHERE role = 'sales_rep') r,"
     " count(*) FILTER (WHERE role = 'analyst') n FROM users GROUP BY 1) x"
     " WHERE a = 1 AND s = 1 AND r = 5 AND n = 1",
     2},
    {"clients", "SELECT count(*) FROM clients", 400},
    {"client statuses per tenant", "SELECT count(DISTINCT (tenant_id, status)) FROM clients", 10},
    {"quotes", "SELECT count(*) FROM quotes", 4000},
    {"quote statuses per tenant", "SELECT count(DISTINCT (tenant_id, status)) FROM quotes", 10},
    {"quotes outside 1..8 items",
     "SELECT count(*) FROM (SELECT count(i.id) n FROM quotes q LEFT JOIN quote_items i"
     " ON i.quote_id = q.id GROUP BY q.id) x WHERE n NOT BETWEEN 1 AND 8",
     0},
    {"quotes older than 24 months",
     "SELECT count(*) FROM quotes WHERE created_at < now() - interval '24 months 1 day'", 0},
    {"subtotals off the formula",
     "SELECT count(*) FROM quote_items WHERE subtotal IS DISTINCT FROM"
     " round(quantity * unit_price * (1 - discount_percent / 100), 2)",
     0},
    {"totals off their items",
     "SELECT count(*) FROM quotes q WHERE total_amount <> (SELECT sum(subtotal)"
     " FROM quote_items i WHERE i.quote_id = q.id)",
     0},
    {"duplicate quote numbers",
     "SELECT count(*) - count(DISTINCT (tenant_id, quote_number)) FROM quotes", 0},
    {"malformed quote numbers",
     "SELECT count(*) FROM quotes WHERE quote_number !~ '^Q-[0-9]{4}-[0-9]{6}$'", 0},
    {"inconsistent sent_at/accepted_at",
     "SELECT count(*) FROM quotes WHERE (status = 'draft') <> (sent_at IS NULL)"
     " OR (status = 'accepted') <> (accepted_at IS NOT NULL) OR accepted_at < sent_at"
     " OR sent_at < created_at",
     0},
    {"timestamps in the future",
     "SELECT count(*) FROM quotes WHERE greatest(created_at, sent_at, accepted_at) > now()", 0},
    {"expenses", "SELECT count(*) FROM expenses", 6000},
    {"expense categories",
     "SELECT count(*) FROM expense_categories WHERE is_active AND name IN"
     " ('FUEL', 'MAINTENANCE', 'TOLLS', 'MEALS', 'LODGING', 'OFFICE')",
     12},
    {"expense statuses per tenant", "SELECT count(DISTINCT (tenant_id, status)) FROM expenses", 6},
    {"decided expenses without approver",
     "SELECT count(*) FROM expenses WHERE status <> 'pending'"
     " AND (approved_by IS NULL OR approved_at IS NULL)",
     0},
    {"rejections without a reason",
     "SELECT count(*) FROM expenses WHERE status = 'rejected' AND rejection_reason IS NULL", 0},
    {"quotas (5 reps x 25 months x 2)", "SELECT count(*) FROM quotas", 250},
    {"vehicles with drivers", "SELECT count(*) FROM vehicles WHERE assigned_driver_id IS NOT NULL",
     12},
    {"vehicles", "SELECT count(*) FROM vehicles", 20},
};

START_TEST(seed_is_deterministic_and_complete)
{
    char tokpath[256];
    PGconn *a, *b, *c;
    char *pa, *pb, *pc, *fa, *fb, *fc, *sum42, *sum43, *err = NULL, sql[512], token[64] = "";
    struct seed_opts again = {.scale = 1, .seed = 42};
    struct stat st;
    FILE *f;

    token_path(tokpath, sizeof tokpath);
    a = seeded_scratch("a", 42, tokpath, &pa);
    b = seeded_scratch("b", 42, NULL, &pb);
    c = seeded_scratch("c", 43, NULL, &pc);
    ck_assert_msg(strstr(pa, "admin@acme.example") && strstr(pa, "rep5@borealis.example"),
                  "the seed must print the demo logins, printed: %s", pa);

    for (size_t i = 0; i < sizeof demo_facts / sizeof demo_facts[0]; i++) {
        long got = query_long(a, demo_facts[i].sql);
        ck_assert_msg(got == demo_facts[i].want, "%s: expected %ld, got %ld", demo_facts[i].what,
                      demo_facts[i].want, got);
    }
    fa = data_fingerprint(a);
    fb = data_fingerprint(b);
    fc = data_fingerprint(c);
    ck_assert_msg(strcmp(fa, fb) == 0, "seed 42 twice differs:\n%s\n%s", fa, fb);
    sum42 = query_text(a, "SELECT sum(total_amount)::text FROM quotes");
    sum43 = query_text(c, "SELECT sum(total_amount)::text FROM quotes");
    ck_assert_msg(strcmp(sum42, sum43) != 0, "seeds 42 and 43 gave the same quote total %s", sum42);
    ck_assert_msg(strcmp(fa, fc) != 0, "seeds 42 and 43 gave the same data");

    /* A second seed refuses; with reset it replaces the data with the same data. */
    ck_assert_int_eq(seed_demo(b, &again, &err), -1);
    ck_assert_msg(strstr(err, "--reset"), "got: %s", err);
    free(err);
    again.reset = true;
    ck_assert_msg(seed_demo(b, &again, &err) == 0, "reset (TRUNCATE path): %s", err);
    free(fb);
    fb = data_fingerprint(b);
    ck_assert_msg(strcmp(fa, fb) == 0, "reseeding changed the data:\n%s\n%s", fa, fb);
    /* With another tenant present, reset deletes only the demo tenants' rows. */
    exec_ok(b, "INSERT INTO tenants (company_name, domain) VALUES ('Other', 'other.example')");
    ck_assert_msg(seed_demo(b, &again, &err) == 0, "reset (DELETE path): %s", err);
    ck_assert_int_eq(query_long(b, "SELECT count(*) FROM tenants WHERE domain = 'other.example'"),
                     1);
    exec_ok(b, "DELETE FROM tenants WHERE domain = 'other.example'");
    free(fb);
    fb = data_fingerprint(b);
    ck_assert_msg(strcmp(fa, fb) == 0, "reseeding after DELETE changed the data:\n%s\n%s", fa, fb);

    /* The token file: mode 0600, oq_ + 43 characters, stored only as its SHA-256. */
    ck_assert_int_eq(stat(tokpath, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    f = fopen(tokpath, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(token, sizeof token, f));
    fclose(f);
    ck_assert_int_eq(strlen(token), 47);
    ck_assert_msg(strncmp(token, "oq_", 3) == 0 && token[46] == '\n', "token: %s", token);
    token[46] = '\0';
    snprintf(
        sql, sizeof sql,
        "SELECT count(*) FROM auth_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = sha256('%s'::bytea) AND u.email = 'admin@acme.example'"
        " AND t.kind = 'api' AND t.name = 'demo' AND t.expires_at > now() + interval '29 days'",
        token);
    ck_assert_int_eq(query_long(a, sql), 1);
    unlink(tokpath);

    free(sum42);
    free(sum43);
    free(pa);
    free(pb);
    free(pc);
    free(fa);
    free(fb);
    free(fc);
    PQfinish(a);
    PQfinish(b);
    PQfinish(c);
}
END_TEST

/* ------------------------------------------------------------------ suite */

static void drop_all(void)
{
    PGconn *m = db_connect(NULL);
    char path[256];

    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        drop_scratch(m, suffixes[i]);
    PQfinish(m);
    token_path(path, sizeof path);
    unlink(path);
}

int main(void)
{
    const char *url = getenv("DATABASE_URL");
    Suite *s;
    TCase *tc;
    SRunner *sr;
    int failed;

    if (!url || !*url) {
        fputs("DATABASE_URL is not set; skipping\n", stderr);
        return 77;
    }
    /* The original's SQLAlchemy form is accepted everywhere; libpq wants the plain one. */
    if (strncmp(url, "postgresql+asyncpg://", 21) == 0)
        snprintf(base_url, sizeof base_url, "postgresql://%s", url + 21);
    else
        snprintf(base_url, sizeof base_url, "%s", url);
    snprintf(prefix, sizeof prefix, "onquota_t_migrate_%ld", (long)getpid());

    s = suite_create("migrate_seed");
    tc = tcase_create("migrate");
    tcase_set_timeout(tc, 120);
    /* Unchecked: runs in the parent, so the databases go even when a test fails. */
    tcase_add_unchecked_fixture(tc, drop_all, drop_all);
    tcase_add_test(tc, migrate_applies_once_and_is_idempotent);
    tcase_add_test(tc, schema_matches_data_md);
    tcase_add_test(tc, migrate_refuses_changed_and_reports_pending);
    suite_add_tcase(s, tc);
    tc = tcase_create("seed");
    tcase_set_timeout(tc, 240);
    tcase_add_unchecked_fixture(tc, drop_all, drop_all);
    tcase_add_test(tc, seed_is_deterministic_and_complete);
    suite_add_tcase(s, tc);

    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
