/* Integration tests of the dashboard endpoints: every field against answers worked out by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* The daemon runs in Bogotá (UTC-5 all year, no DST), so that every period
 * boundary below is a local midnight at 05:00Z and rows placed a few hours
 * either side of it test the time zone arithmetic. */
#define TZ_NAME "America/Bogota"

static char *admin_token, *analyst_token, *leak_token;
static struct harness_daemon D;

/* ---------------------------------------------------------------- fixture */

/* Tenant "Fixture Co" (domain fix.test) and tenant "Leak Inc" (leak.test),
 * whose rows would change every figure if they leaked. Ids are fixed so that
 * the expected answers can name them; "a4..." (quotes) sorts after "a3..."
 * (clients) and before "a5..." (expenses), which the tie tests rely on.
 * All times are local (-05). Worked-out periods:
 *   A = 2026-01-15: current 2026-01-01..15, previous December 2025;
 *   B = 2026-03-31: current March 2026 (no quota rows: the fallback, capped),
 *       previous February 2026, fallback bases March and February 2025;
 *   C = 2026-02-20: quota rows in February and January;
 *   E = 2025-06-15: fallback with no revenue a year earlier (both 100);
 *   G = 2026-12-05: fallback with a base for December only (previous 0). */
/* clang-format off */
static const char fixture_sql[] =
    "INSERT INTO tenants (company_name, domain) VALUES ('Fixture Co', 'fix.test'),"
    " ('Leak Inc', 'leak.test');"
    /* users */
    "INSERT INTO users (id, tenant_id, email, hashed_password, full_name, role, is_deleted)"
    " SELECT v.id::uuid, (SELECT id FROM tenants WHERE domain = v.t), v.email, 'x', v.name,"
    " v.role::user_role, v.del FROM (VALUES"
    " ('a1000000-0000-4000-8000-000000000001', 'fix.test', 'ana@fix.test', 'Ana Ruiz',"
    "  'sales_rep', false),"
    " ('a1000000-0000-4000-8000-000000000002', 'fix.test', 'bruno@fix.test', 'Bruno Díaz',"
    "  'sales_rep', false),"
    " ('a1000000-0000-4000-8000-000000000003', 'fix.test', 'carla@fix.test', 'Carla Soto',"
    "  'sales_rep', false),"
    " ('a1000000-0000-4000-8000-000000000004', 'fix.test', 'dario@fix.test', 'Dario Viejo',"
    "  'sales_rep', true),"
    " ('a1000000-0000-4000-8000-000000000005', 'fix.test', 'sara@fix.test', 'Sara Jefe',"
    "  'supervisor', false),"
    " ('b1000000-0000-4000-8000-000000000001', 'leak.test', 'xavier@leak.test', 'Xavier Leak',"
    "  'sales_rep', false)) v(id, t, email, name, role, del);"
    /* categories: TOLLS deactivated, LODGING soft-deleted */
    "INSERT INTO expense_categories (id, tenant_id, name, is_active, is_deleted)"
    " SELECT v.id::uuid, (SELECT id FROM tenants WHERE domain = v.t), v.name, v.active, v.del"
    " FROM (VALUES"
    " ('a2000000-0000-4000-8000-000000000001', 'fix.test', 'FUEL', true, false),"
    " ('a2000000-0000-4000-8000-000000000002', 'fix.test', 'MEALS', true, false),"
    " ('a2000000-0000-4000-8000-000000000003', 'fix.test', 'TOLLS', false, false),"
    " ('a2000000-0000-4000-8000-000000000004', 'fix.test', 'LODGING', true, true),"
    " ('b2000000-0000-4000-8000-000000000001', 'leak.test', 'FUEL', true, false))"
    " v(id, t, name, active, del);"
    /* clients */
    "INSERT INTO clients (id, tenant_id, name, status, created_at, is_deleted)"
    " SELECT v.id::uuid, (SELECT id FROM tenants WHERE domain = v.t), v.name,"
    " v.status::client_status, v.at::timestamptz, v.del FROM (VALUES"
    " ('a3000000-0000-4000-8000-000000000001', 'fix.test', 'Alfa SA', 'active',"
    "  '2025-06-01 12:00-05', false),"
    " ('a3000000-0000-4000-8000-000000000002', 'fix.test', 'Beta SL', 'active',"
    "  '2025-12-20 10:00-05', false),"
    " ('a3000000-0000-4000-8000-000000000003', 'fix.test', 'Gamma SRL', 'lead',"
    "  '2026-01-05 09:00-05', false),"
    " ('a3000000-0000-4000-8000-000000000004', 'fix.test', 'Delta Corp', 'prospect',"
    "  '2026-01-15 23:30-05', false),"
    " ('a3000000-0000-4000-8000-000000000005', 'fix.test', 'Epsilon', 'active',"
    "  '2026-01-10 12:00-05', true),"
    " ('a3000000-0000-4000-8000-000000000006', 'fix.test', 'Zeta', 'inactive',"
    "  '2026-03-31 20:00-05', false),"
    " ('a3000000-0000-4000-8000-000000000007', 'fix.test', 'Eta', 'active',"
    "  '2026-02-10 12:00-05', false),"
    " ('a3000000-0000-4000-8000-000000000008', 'fix.test', 'Theta', 'lost',"
    "  '2026-01-16 00:30-05', false),"
    " ('b3000000-0000-4000-8000-000000000001', 'leak.test', 'Leak Client', 'active',"
    "  '2026-01-10 12:00-05', false)) v(id, t, name, status, at, del);"
    /* quotes: (n, client, rep, amount, status, created, accepted, deleted) */
    "INSERT INTO quotes (id, tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
    " status, valid_until, created_at, accepted_at, is_deleted)"
    " SELECT (v.p || '4000000-0000-4000-8000-0000000000' || v.n)::uuid,"
    " (SELECT id FROM tenants WHERE domain = CASE v.p WHEN 'a' THEN 'fix.test'"
    "  ELSE 'leak.test' END),"
    " (v.p || '3000000-0000-4000-8000-0000000000' || v.c)::uuid,"
    " (v.p || '1000000-0000-4000-8000-0000000000' || v.r)::uuid,"
    " 'Q-' || v.y || '-0000' || v.n, v.amount::numeric, v.status::sale_status, '2099-12-31',"
    " v.created::timestamptz, v.accepted::timestamptz, v.del FROM (VALUES"
    " ('a', '01', '01', '01', 2026, 1000.00, 'accepted', '2026-01-05 10:00-05',"
    "  '2026-01-06 11:00-05', false),"
    " ('a', '02', '02', '02', 2026, 2500.50, 'accepted', '2026-01-10 15:00-05',"
    "  '2026-01-12 09:30-05', false),"
    " ('a', '03', '01', '01', 2026, 800.00, 'sent', '2026-01-08 09:00-05', NULL, false),"
    " ('a', '04', '03', '02', 2026, 1200.00, 'sent', '2026-01-14 16:00-05', NULL, false),"
    " ('a', '05', '03', '03', 2026, 300.00, 'draft', '2026-01-11 12:00-05', NULL, false),"
    " ('a', '06', '02', '01', 2026, 450.00, 'rejected', '2026-01-09 12:00-05', NULL, false),"
    " ('a', '07', '04', '03', 2026, 999.99, 'expired', '2026-01-03 12:00-05', NULL, false),"
    " ('a', '08', '01', '01', 2026, 5000.00, 'accepted', '2026-01-07 12:00-05',"
    "  '2026-01-08 12:00-05', true),"
    " ('a', '09', '02', '03', 2026, 700.25, 'accepted', '2026-01-15 23:00-05',"
    "  '2026-01-15 23:30-05', false),"
    " ('a', '10', '03', '01', 2026, 640.00, 'accepted', '2026-01-20 10:00-05',"
    "  '2026-01-21 10:00-05', false),"
    " ('a', '11', '01', '02', 2025, 3000.00, 'accepted', '2025-12-31 22:00-05',"
    "  '2026-01-02 10:00-05', false),"
    " ('a', '12', '02', '01', 2025, 1500.00, 'accepted', '2025-12-10 10:00-05',"
    "  '2025-12-11 10:00-05', false),"
    " ('a', '13', '01', '02', 2025, 400.00, 'sent', '2025-12-05 10:00-05', NULL, false),"
    " ('a', '14', '02', '01', 2025, 1000.00, 'accepted', '2025-01-20 10:00-05',"
    "  '2025-01-21 10:00-05', false),"
    " ('a', '15', '01', '01', 2025, 2000.00, 'accepted', '2025-03-15 10:00-05',"
    "  '2025-03-16 10:00-05', false),"
    " ('a', '16', '02', '02', 2025, 1000.00, 'accepted', '2025-02-14 10:00-05',"
    "  '2025-02-15 10:00-05', false),"
    " ('a', '17', '07', '01', 2026, 6000.00, 'accepted', '2026-03-10 10:00-05',"
    "  '2026-03-12 10:00-05', false),"
    " ('a', '18', '01', '02', 2026, 1000.00, 'sent', '2026-03-20 10:00-05', NULL, false),"
    " ('a', '19', '02', '01', 2026, 900.00, 'accepted', '2026-02-05 10:00-05',"
    "  '2026-02-06 10:00-05', false),"
    " ('a', '20', '07', '02', 2026, 300.00, 'sent', '2026-02-25 10:00-05', NULL, false),"
    " ('a', '21', '01', '03', 2026, 100.00, 'accepted', '2026-03-31 21:00-05',"
    "  '2026-03-31 22:00-05', false),"
    " ('a', '22', '02', '01', 2026, 250.00, 'accepted', '2026-04-01 00:30-05',"
    "  '2026-04-02 10:00-05', false),"
    " ('b', '01', '01', '01', 2026, 99999.99, 'accepted', '2026-01-10 10:00-05',"
    "  '2026-01-10 11:00-05', false),"
    " ('b', '02', '01', '01', 2026, 88888.88, 'accepted', '2026-03-10 10:00-05',"
    "  '2026-03-10 11:00-05', false),"
    " ('b', '03', '01', '01', 2026, 777.00, 'sent', '2026-01-12 10:00-05', NULL, false))"
    " v(p, n, c, r, y, amount, status, created, accepted, del);"
    /* expenses: (n, category, amount, date, status, approved_at, deleted, description) */
    "INSERT INTO expenses (id, tenant_id, user_id, category_id, amount, description, date,"
    " status, approved_by, approved_at, is_deleted)"
    " SELECT (v.p || '5000000-0000-4000-8000-0000000000' || v.n)::uuid,"
    " (SELECT id FROM tenants WHERE domain = CASE v.p WHEN 'a' THEN 'fix.test'"
    "  ELSE 'leak.test' END),"
    " (v.p || '1000000-0000-4000-8000-000000000001')::uuid,"
    " (v.p || '2000000-0000-4000-8000-0000000000' || v.cat)::uuid, v.amount::numeric, v.d,"
    " v.day::date, v.status::expense_status,"
    " CASE WHEN v.approved IS NOT NULL THEN CASE v.p WHEN 'a'"
    "  THEN 'a1000000-0000-4000-8000-000000000005'::uuid"
    "  ELSE 'b1000000-0000-4000-8000-000000000001'::uuid END END,"
    " v.approved::timestamptz, v.del FROM (VALUES"
    " ('a', '01', '01', 120.50, '2026-01-05', 'approved', '2026-01-06 10:00-05', false,"
    "  'Gasolina enero'),"
    " ('a', '02', '02', 45.25, '2026-01-14', 'approved', '2026-01-15 18:00-05', false,"
    "  'Almuerzo cliente'),"
    " ('a', '03', '03', 30.00, '2026-01-10', 'approved', '2026-01-11 09:00-05', false,"
    "  'Peaje autopista'),"
    " ('a', '04', '04', 200.00, '2026-01-12', 'approved', '2026-01-13 09:00-05', false,"
    "  'Hotel Medellín'),"
    " ('a', '05', NULL, 15.75, '2026-01-03', 'approved', '2026-01-04 09:00-05', false,"
    "  'Papelería'),"
    " ('a', '06', '01', 80.00, '2026-01-15', 'pending', NULL, false, 'Gasolina pendiente'),"
    " ('a', '07', '02', 60.00, '2026-01-08', 'rejected', '2026-01-09 09:00-05', false,"
    "  'Comida rechazada'),"
    " ('a', '08', '01', 500.00, '2026-01-09', 'approved', '2026-01-10 09:00-05', true,"
    "  'Gasolina borrada'),"
    " ('a', '09', '01', 99.99, '2026-01-16', 'approved', '2026-01-16 08:00-05', false,"
    "  'Gasolina extra'),"
    " ('a', '10', '02', 310.00, '2025-12-20', 'approved', '2025-12-21 09:00-05', false,"
    "  'Cena navidad'),"
    " ('a', '11', '01', 40.00, '2025-12-31', 'approved', '2026-01-02 10:00-05', false,"
    "  'Gasolina diciembre'),"
    " ('a', '12', '02', 25.00, '2026-02-10', 'approved', '2026-02-11 09:00-05', false,"
    "  'Cena equipo'),"
    " ('a', '13', '01', 1000.00, '2026-03-31', 'approved', '2026-03-31 23:00-05', false,"
    "  'Combustible flota'),"
    " ('a', '14', NULL, 54.50, '2026-03-05', 'approved', '2026-03-06 09:00-05', false,"
    "  'Taxi aeropuerto'),"
    " ('a', '15', '03', 70.00, '2026-04-02', 'approved', '2026-04-02 09:00-05', false,"
    "  'Peaje puente'),"
    " ('a', '16', '02', 35.00, '2025-06-10', 'approved', '2025-06-11 09:00-05', false,"
    "  'Almuerzo junio'),"
    " ('a', '17', '01', 20.00, '2026-07-01', 'pending', NULL, false, 'Gasolina julio'),"
    " ('a', '18', '04', 10.00, '2026-03-15', 'rejected', '2026-03-16 09:00-05', false,"
    "  'Hotel Cali'),"
    " ('b', '01', '01', 7777.77, '2026-01-10', 'approved', '2026-01-11 09:00-05', false,"
    "  'Leak fuel'),"
    " ('b', '02', '01', 10.00, '2026-01-05', 'pending', NULL, false, 'Leak pending'),"
    " ('b', '03', '01', 3333.33, '2026-03-05', 'approved', '2026-03-06 09:00-05', false,"
    "  'Leak march')) v(p, n, cat, amount, day, status, approved, del, d);"
    /* quotas: January and February 2026 only (Carla in February only) */
    "INSERT INTO quotas (tenant_id, user_id, year, month, target_amount)"
    " SELECT (SELECT id FROM tenants WHERE domain = v.t), v.u::uuid, v.y, v.m, v.amount"
    " FROM (VALUES"
    " ('fix.test', 'a1000000-0000-4000-8000-000000000001', 2026, 1, 5000.00),"
    " ('fix.test', 'a1000000-0000-4000-8000-000000000002', 2026, 1, 2000.00),"
    " ('fix.test', 'a1000000-0000-4000-8000-000000000001', 2026, 2, 1000.00),"
    " ('fix.test', 'a1000000-0000-4000-8000-000000000002', 2026, 2, 500.00),"
    " ('fix.test', 'a1000000-0000-4000-8000-000000000003', 2026, 2, 100.00),"
    " ('leak.test', 'b1000000-0000-4000-8000-000000000001', 2026, 1, 50000.00),"
    " ('leak.test', 'b1000000-0000-4000-8000-000000000001', 2026, 3, 1000.00))"
    " v(t, u, y, m, amount);";
/* clang-format on */

static int setup(const char *db)
{
    if (harness_psql(db, fixture_sql) != 0)
        return -1;
    char *a = harness_user_add(db, "fix.test", "admin@fix.test", "admin", "admin-password-1");
    char *b = harness_user_add(db, "fix.test", "analyst@fix.test", "analyst", "analyst-password1");
    char *c = harness_user_add(db, "leak.test", "admin@leak.test", "admin", "leak-password-01");
    admin_token = harness_token_create(db, "admin@fix.test", "it", 0);
    analyst_token = harness_token_create(db, "analyst@fix.test", "it", 0);
    leak_token = harness_token_create(db, "admin@leak.test", "it", 0);
    bool ok = a && b && c && admin_token && analyst_token && leak_token;
    free(a);
    free(b);
    free(c);
    return ok ? 0 : -1;
}

static void daemon_up(void)
{
    static const char *const extra[] = {"--timezone",       TZ_NAME, "--no-jobs",
                                        "--health-probe-s", "3600",  NULL};
    harness_daemon_start(&D, harness_db(), extra);
    struct harness_resp r;
    harness_get(&D, "/api/v1/auth/me", admin_token, &r); /* warm the token cache */
    harness_resp_free(&r);
}

static void daemon_down(void)
{
    harness_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- helpers */

/* GET path with the admin token and an optional Accept-Language. */
static long get(const char *path, const char *lang, const char *token, struct harness_resp *r)
{
    char auth[128], al[96];
    harness_bearer(auth, sizeof auth, token);
    snprintf(al, sizeof al, "Accept-Language: %s", lang ? lang : "");
    const char *hdr[] = {auth, lang ? al : NULL, NULL};
    return harness_http(&D, "GET", path, hdr, NULL, r);
}

/* Asserts that the body is exactly want (byte for byte: key order, two
 * decimals on money), showing where they first differ. */
static void expect_body(const char *what, const struct harness_resp *r, const char *want)
{
    const char *got = r->body ? r->body : "";
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    if (got[i] != want[i]) {
        size_t from = i > 60 ? i - 60 : 0;
        ck_abort_msg("%s: body differs at byte %zu\n  expected ...%.140s\n  got      ...%.140s",
                     what, i, want + from, got + from);
    }
}

/* ---------------------------------------------------------------- expected answers */

/* The answers worked out by hand, one file each under tests/data/dashboard/
 * (the fixture above, the path, and the exact body the daemon must send). */
static struct harness_case *cases;
static int ncases;

#define DASH "/api/v1/dashboard/"

START_TEST(answers_by_hand)
{
    const struct harness_case *k = &cases[_i];
    /* who: other-tenant reads as the other tenant's admin (isolation). */
    const char *token = k->who && !strcmp(k->who, "other-tenant") ? leak_token : admin_token;
    struct harness_resp r;
    long st = get(k->path, k->lang, token, &r);
    ck_assert_msg(st == 200, "%s: expected 200 from %s, got %ld: %s", k->name, k->path, st, r.body);
    const char *ct = harness_header(&r, "Content-Type");
    ck_assert_msg(ct && !strncmp(ct, "application/json", 16),
                  "%s: expected application/json, got %s", k->name, ct);
    const char *vary = harness_header(&r, "Vary");
    ck_assert_msg(vary && strstr(vary, "Accept-Language"),
                  "%s: expected Vary: Accept-Language, got %s", k->name, vary);
    expect_body(k->name, &r, k->body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- languages, defaults, tenants */

/* The first Accept-Language tag decides; anything but en is Spanish. */
static const struct {
    const char *header;
    const char *title;
} langs[] = {
    {"en", "Revenue this month"},           {"EN-gb", "Revenue this month"},
    {"en;q=0.5, es", "Revenue this month"}, {"es-ES,en;q=0.9", "Ventas del Mes"},
    {"fr, en", "Ventas del Mes"},           {"eng", "Ventas del Mes"},
};

START_TEST(accept_language)
{
    struct harness_resp r;
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-01-15", langs[_i].header, admin_token, &r), 200);
    const cJSON *rev = cJSON_GetObjectItemCaseSensitive(harness_json(&r), "total_revenue");
    const char *title = harness_jstr(rev, "title");
    ck_assert_msg(title && !strcmp(title, langs[_i].title),
                  "expected title \"%s\" for Accept-Language: %s, got %s", langs[_i].title,
                  langs[_i].header, title);
    harness_resp_free(&r);
}
END_TEST

/* Without as_of, every endpoint answers as of today in the configured zone. */
START_TEST(as_of_defaults_to_today_in_zone)
{
    time_t now = time(NULL) - 5 * 3600; /* Bogotá is UTC-5 all year */
    struct tm tm;
    gmtime_r(&now, &tm);
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    static const char *const endpoints[] = {
        "kpis",        "summary",         "revenue-monthly",  "expenses-monthly",
        "top-clients", "recent-activity", "quota-performance"};
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        char bare[96], dated[128];
        snprintf(bare, sizeof bare, DASH "%s", endpoints[i]);
        snprintf(dated, sizeof dated, DASH "%s?as_of=%s", endpoints[i], today);
        struct harness_resp a, b;
        ck_assert_int_eq(get(bare, NULL, admin_token, &a), 200);
        ck_assert_int_eq(get(dated, NULL, admin_token, &b), 200);
        ck_assert_msg(!strcmp(a.body, b.body), "expected %s to equal %s", bare, dated);
        harness_resp_free(&a);
        harness_resp_free(&b);
    }
}
END_TEST

/* Every role reads the dashboard; no token reads nothing. */
START_TEST(roles_and_auth)
{
    struct harness_resp r;
    ck_assert_int_eq(get(DASH "summary?as_of=2026-01-15", NULL, analyst_token, &r), 200);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&D, DASH "summary?as_of=2026-01-15", NULL, &r), 401);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- validation */

static const struct {
    const char *path;
    const char *locs[3]; /* every one must be listed */
} invalid[] = {
    {DASH "revenue-monthly?year=1999", {"query.year"}},
    {DASH "expenses-monthly?year=2101", {"query.year"}},
    {DASH "expenses-monthly?year=twenty", {"query.year"}},
    {DASH "kpis?as_of=2026-13-01", {"query.as_of"}},
    {DASH "summary?as_of=2026-02-30", {"query.as_of"}},
    {DASH "summary?as_of=15-01-2026", {"query.as_of"}},
    {DASH "top-clients?period=weekly", {"query.period"}},
    {DASH "top-clients?limit=0", {"query.limit"}},
    {DASH "top-clients?limit=51", {"query.limit"}},
    {DASH "recent-activity?limit=101", {"query.limit"}},
    {DASH "recent-activity?limit=0", {"query.limit"}},
    {DASH "recent-activity?since=yesterday", {"query.since"}},
    {DASH "quota-performance?month=13", {"query.month"}},
    {DASH "quota-performance?year=2019&month=0", {"query.year", "query.month"}},
    {DASH "kpis?foo=1", {"query.foo"}},
    {DASH "kpis?year=2026", {"query.year"}},
    {DASH "kpis?as_of=2026-01-15&as_of=2026-01-16", {"query.as_of"}},
    {DASH "top-clients?limit=0&period=weekly&as_of=x",
     {"query.limit", "query.period", "query.as_of"}},
};

START_TEST(invalid_queries_answer_422)
{
    struct harness_resp r;
    long st = get(invalid[_i].path, NULL, admin_token, &r);
    ck_assert_msg(st == 422, "expected 422 for %s, got %ld: %s", invalid[_i].path, st, r.body);
    for (int i = 0; i < 3 && invalid[_i].locs[i]; i++)
        ck_assert_msg(harness_detail_has_loc(&r, invalid[_i].locs[i]),
                      "expected %s to list loc %s, got %s", invalid[_i].path, invalid[_i].locs[i],
                      r.body);
    ck_assert_msg(harness_server_timing_queries(&r) == 0, "expected no SQL for %s",
                  invalid[_i].path);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- queries and cache */

static const char *const every_endpoint[] = {
    DASH "kpis?as_of=2026-01-15",
    DASH "summary?as_of=2026-01-15",
    DASH "revenue-monthly?as_of=2026-01-15",
    DASH "expenses-monthly?as_of=2026-01-15",
    DASH "top-clients?as_of=2026-01-15",
    DASH "recent-activity?as_of=2026-01-15",
    DASH "quota-performance?as_of=2026-01-15",
};

/* After an invalidation each endpoint misses once with exactly one SQL
 * statement, then hits with none and the same bytes. */
START_TEST(one_statement_per_miss)
{
    const char *path = every_endpoint[_i];
    struct harness_resp r, miss, hit;
    ck_assert_int_eq(
        harness_send(&D, "POST", "/api/v1/admin/cache/invalidate", admin_token, NULL, &r), 204);
    harness_resp_free(&r);
    ck_assert_int_eq(get(path, NULL, admin_token, &miss), 200);
    const char *x = harness_header(&miss, "X-Cache");
    ck_assert_msg(x && !strcmp(x, "MISS"), "expected X-Cache: MISS for %s, got %s", path, x);
    ck_assert_msg(harness_server_timing_queries(&miss) == 1,
                  "expected exactly 1 SQL statement for %s on a miss, got %d", path,
                  harness_server_timing_queries(&miss));
    ck_assert_int_eq(get(path, NULL, admin_token, &hit), 200);
    x = harness_header(&hit, "X-Cache");
    ck_assert_msg(x && !strcmp(x, "HIT"), "expected X-Cache: HIT for %s, got %s", path, x);
    ck_assert_msg(harness_server_timing_queries(&hit) == 0,
                  "expected no SQL for %s on a hit, got %d", path,
                  harness_server_timing_queries(&hit));
    ck_assert_msg(!strcmp(miss.body, hit.body), "expected the hit to repeat the miss for %s", path);
    harness_resp_free(&miss);
    harness_resp_free(&hit);
}
END_TEST

/* The language is part of the key: a Spanish answer never serves English. */
START_TEST(language_is_part_of_the_key)
{
    struct harness_resp es, en;
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-02-20", "es", admin_token, &es), 200);
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-02-20", "en", admin_token, &en), 200);
    ck_assert_msg(strstr(es.body, "Ventas del Mes") && strstr(en.body, "Revenue this month"),
                  "expected Spanish then English titles, got %s / %s", es.body, en.body);
    harness_resp_free(&es);
    harness_resp_free(&en);
}
END_TEST

/* The overview holds every panel's answer, each equal to what the panel's own
 * route answers for the same day, year, month and language; one ETag covers
 * it all and revalidates with a 304. */
START_TEST(overview_equals_the_parts)
{
    static const struct {
        const char *member, *path;
    } parts[] = {
        {"kpis", DASH "kpis?as_of=2026-01-15"},
        {"summary", DASH "summary?as_of=2026-01-15"},
        {"revenue_monthly", DASH "revenue-monthly?as_of=2026-01-15&year=2025"},
        {"expenses_monthly", DASH "expenses-monthly?as_of=2026-01-15&year=2025"},
        {"top_clients", DASH "top-clients?as_of=2026-01-15"},
        {"recent_activity", DASH "recent-activity?as_of=2026-01-15"},
        {"quota_performance", DASH "quota-performance?as_of=2026-01-15&year=2025&month=12"},
    };
    struct harness_resp o;
    const char *path = DASH "overview?as_of=2026-01-15&year=2025&month=12";
    ck_assert_int_eq(get(path, "en", admin_token, &o), 200);
    cJSON *all = harness_json(&o);
    ck_assert_msg(all && !strcmp(harness_jstr(all, "as_of"), "2026-01-15"),
                  "expected as_of, got %.200s", o.body);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        struct harness_resp p;
        ck_assert_int_eq(get(parts[i].path, "en", admin_token, &p), 200);
        cJSON *want = harness_json(&p), *got = cJSON_GetObjectItem(all, parts[i].member);
        ck_assert_msg(got && want && cJSON_Compare(got, want, true),
                      "overview.%s differs from %s: %.300s", parts[i].member, parts[i].path,
                      p.body);
        harness_resp_free(&p);
    }
    const char *etag = harness_header(&o, "ETag");
    ck_assert_msg(etag && *etag, "expected an ETag on the overview");
    char auth[128], inm[160];
    harness_bearer(auth, sizeof auth, admin_token);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *hdr[] = {auth, "Accept-Language: en", inm, NULL};
    struct harness_resp again;
    ck_assert_int_eq(harness_http(&D, "GET", path, hdr, NULL, &again), 304);
    harness_resp_free(&again);
    harness_resp_free(&o);
}
END_TEST

int main(void)
{
    ncases = harness_cases_load("dashboard", &cases);
    if (ncases <= 0) {
        fprintf(stderr, "dashboard: no case files under tests/data/dashboard\n");
        return 1;
    }
    Suite *s = suite_create("dashboard");
    TCase *tc = harness_tcase(s, "dashboard");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_loop_test(tc, answers_by_hand, 0, ncases);
    tcase_add_loop_test(tc, accept_language, 0, sizeof langs / sizeof langs[0]);
    tcase_add_test(tc, as_of_defaults_to_today_in_zone);
    tcase_add_test(tc, roles_and_auth);
    tcase_add_loop_test(tc, invalid_queries_answer_422, 0, sizeof invalid / sizeof invalid[0]);
    tcase_add_loop_test(tc, one_statement_per_miss, 0,
                        sizeof every_endpoint / sizeof every_endpoint[0]);
    tcase_add_test(tc, language_is_part_of_the_key);
    tcase_add_test(tc, overview_equals_the_parts);
    return harness_main(s, "it_dashboard", setup);
}
