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
static struct h_daemon D;

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
    if (h_psql(db, fixture_sql) != 0)
        return -1;
    char *a = h_user_add(db, "fix.test", "admin@fix.test", "admin", "admin-password-1");
    char *b = h_user_add(db, "fix.test", "analyst@fix.test", "analyst", "analyst-password1");
    char *c = h_user_add(db, "leak.test", "admin@leak.test", "admin", "leak-password-01");
    admin_token = h_token_create(db, "admin@fix.test", "it", 0);
    analyst_token = h_token_create(db, "analyst@fix.test", "it", 0);
    leak_token = h_token_create(db, "admin@leak.test", "it", 0);
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
    h_daemon_start(&D, h_db(), extra);
    struct h_resp r;
    h_get(&D, "/api/v1/auth/me", admin_token, &r); /* warm the token cache */
    h_resp_free(&r);
}

static void daemon_down(void)
{
    h_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- helpers */

/* Expected answers are written with ' for " (no value below contains an
 * apostrophe); this turns one into the JSON text the daemon must send. */
static char *json_text(const char *quoted)
{
    char *s = strdup(quoted);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

/* GET path with the admin token and an optional Accept-Language. */
static long get(const char *path, const char *lang, const char *token, struct h_resp *r)
{
    char auth[128], al[96];
    h_bearer(auth, sizeof auth, token);
    snprintf(al, sizeof al, "Accept-Language: %s", lang ? lang : "");
    const char *hdr[] = {auth, lang ? al : NULL, NULL};
    return h_http(&D, "GET", path, hdr, NULL, r);
}

/* Asserts that the body is exactly want (byte for byte: key order, two
 * decimals on money), showing where they first differ. */
static void expect_body(const char *what, const struct h_resp *r, const char *want_quoted)
{
    char *want = json_text(want_quoted);
    const char *got = r->body ? r->body : "";
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    if (got[i] != want[i]) {
        size_t from = i > 60 ? i - 60 : 0;
        ck_abort_msg("%s: body differs at byte %zu\n  expected ...%.140s\n  got      ...%.140s",
                     what, i, want + from, got + from);
    }
    free(want);
}

/* ---------------------------------------------------------------- expected answers */

/* The tables below are laid out by hand, one answer per block. */
/* clang-format off */
#define KPI(title, cur, prev, change, positive, format)                                           \
    "{'title':'" title "','current_value':" cur ",'previous_value':" prev                         \
    ",'change_percent':" change ",'is_positive':" positive ",'format_type':'" format "'}"

#define KPIS(rev, quota, conv, active, fresh, exp, pending, sent, accepted)                        \
    "{'total_revenue':" rev ",'monthly_quota':" quota ",'conversion_rate':" conv                  \
    ",'active_clients':" active ",'new_clients_this_month':" fresh ",'total_expenses':" exp      \
    ",'pending_approvals':" pending ",'quotes_sent':" sent ",'quotes_accepted':" accepted "}"

#define ES_REV "Ventas del Mes"
#define ES_QUOTA "Cumplimiento de Cuota"
#define ES_CONV "Tasa de Conversión"
#define ES_ACTIVE "Clientes Activos"
#define ES_NEW "Clientes Nuevos"
#define ES_EXP "Gastos del Mes"
#define ES_PEND "Aprobaciones Pendientes"
#define ES_SENT "Cotizaciones Enviadas"
#define ES_ACC "Cotizaciones Aceptadas"

/* The same active-clients and pending figures everywhere: snapshots. */
#define ES_ACTIVE_3 KPI(ES_ACTIVE, "3", "null", "null", "true", "number")
#define ES_PEND_2 KPI(ES_PEND, "2", "null", "null", "false", "number")

#define PT(month, value, label) "{'month':'" month "','value':" value ",'label':'" label "'}"
#define ZERO(y, m, label) PT(y "-" m, "0.00", label " " y)

#define CLIENT(id, name, total, n, last)                                                          \
    "{'client_id':'a3000000-0000-4000-8000-0000000000" id "','client_name':'" name               \
    "','total_revenue':" total ",'quote_count':" n ",'last_quote_date':'" last "'}"

#define Q_EVENT(id, type, title, desc, user, ts, number, status, amount)                          \
    "{'id':'a4000000-0000-4000-8000-0000000000" id "','type':'" type "','title':'" title         \
    "','description':'" desc "','user_name':'" user "','timestamp':'" ts                          \
    "','metadata':{'quote_number':'" number "','status':'" status "','amount':" amount "}}"
#define E_EVENT(id, title, desc, ts, amount, category, date)                                      \
    "{'id':'a5000000-0000-4000-8000-0000000000" id "','type':'expense_approved','title':'" title \
    "','description':'" desc "','user_name':'Sara Jefe','timestamp':'" ts                         \
    "','metadata':{'amount':" amount ",'category':'" category "','date':'" date "'}}"
#define C_EVENT(id, title, desc, ts, name, status)                                                \
    "{'id':'a3000000-0000-4000-8000-0000000000" id "','type':'client_created','title':'" title   \
    "','description':'" desc "','user_name':null,'timestamp':'" ts                                \
    "','metadata':{'client_name':'" name "','status':'" status "'}}"

#define REP(id, name, target, achieved, percent, status)                                          \
    "{'user_id':'a1000000-0000-4000-8000-0000000000" id "','user_name':'" name "','target':"     \
    target ",'achieved':" achieved ",'percent':" percent ",'status':'" status "'}"
#define TEAM(target, achieved, percent, status)                                                   \
    "'team':{'target':" target ",'achieved':" achieved ",'percent':" percent ",'status':'"        \
    status "'}"

#define DASH "/api/v1/dashboard/"

struct dash_case {
    const char *name;
    const char *path;
    const char *lang; /* Accept-Language, or NULL */
    const char *want; /* with ' for " */
};

static const struct dash_case cases[] = {
    /* ------------------------------------------------------------ kpis */
    /* A: revenue 1000.00 + 2500.50 + 700.25 (the last at 23:00 local on the 15th,
     * 04:00Z on the 16th); December 3000.00 (22:00 local on the 31st) + 1500.00;
     * quota 4200.75 / 7000.00, no December quota rows; conversion 3/5 vs 2/3;
     * new clients Gamma and Delta (23:30 local) vs Beta; expenses 120.50 + 45.25
     * + 30.00 (inactive category) + 200.00 (deleted category) + 15.75 (none) vs
     * 310.00 + 40.00; pending 2 (one dated July). */
    {"kpis A", DASH "kpis?as_of=2026-01-15", NULL,
     KPIS(KPI(ES_REV, "4200.75", "4500.00", "-6.65", "false", "currency"),
          KPI(ES_QUOTA, "60.01", "null", "null", "true", "percentage"),
          KPI(ES_CONV, "60.00", "66.67", "-10.00", "false", "percentage"), ES_ACTIVE_3,
          KPI(ES_NEW, "2", "1", "100.00", "true", "number"),
          KPI(ES_EXP, "411.50", "350.00", "17.57", "false", "currency"), ES_PEND_2,
          KPI(ES_SENT, "2", "null", "null", "true", "number"),
          KPI(ES_ACC, "3", "null", "null", "true", "number"))},
    {"kpis A en", DASH "kpis?as_of=2026-01-15", "en-US,en;q=0.9",
     KPIS(KPI("Revenue this month", "4200.75", "4500.00", "-6.65", "false", "currency"),
          KPI("Quota attainment", "60.01", "null", "null", "true", "percentage"),
          KPI("Conversion rate", "60.00", "66.67", "-10.00", "false", "percentage"),
          KPI("Active clients", "3", "null", "null", "true", "number"),
          KPI("New clients", "2", "1", "100.00", "true", "number"),
          KPI("Expenses this month", "411.50", "350.00", "17.57", "false", "currency"),
          KPI("Pending approvals", "2", "null", "null", "false", "number"),
          KPI("Quotes sent", "2", "null", "null", "true", "number"),
          KPI("Quotes accepted", "3", "null", "null", "true", "number"))},
    /* B: March 6000.00 + 100.00 (21:00 local on the 31st) vs February 900.00;
     * fallback 6100.00 / (2000.00 x 1.20) = 254.17, capped at 200.00; previous
     * 900.00 / (1000.00 x 1.20) = 75.00; conversion 2/3 vs 1/2; Zeta (20:00
     * local on the 31st) vs Eta; expenses 1000.00 + 54.50 vs 25.00. */
    {"kpis B", DASH "kpis?as_of=2026-03-31", NULL,
     KPIS(KPI(ES_REV, "6100.00", "900.00", "577.78", "true", "currency"),
          KPI(ES_QUOTA, "200.00", "75.00", "166.67", "true", "percentage"),
          KPI(ES_CONV, "66.67", "50.00", "33.34", "true", "percentage"), ES_ACTIVE_3,
          KPI(ES_NEW, "1", "1", "0.00", "true", "number"),
          KPI(ES_EXP, "1054.50", "25.00", "4118.00", "false", "currency"), ES_PEND_2,
          KPI(ES_SENT, "1", "null", "null", "true", "number"),
          KPI(ES_ACC, "2", "null", "null", "true", "number"))},
    /* C: February 1-20 900.00 vs all January 4840.75; quota 900.00 / 1600.00
     * vs 4840.75 / 7000.00 = 69.15; conversion 1/1 vs 4/6; Eta vs Gamma, Delta
     * and Theta (00:30 local on 16 January); expenses 25.00 vs 511.49. */
    {"kpis C", DASH "kpis?as_of=2026-02-20", NULL,
     KPIS(KPI(ES_REV, "900.00", "4840.75", "-81.41", "false", "currency"),
          KPI(ES_QUOTA, "56.25", "69.15", "-18.66", "false", "percentage"),
          KPI(ES_CONV, "100.00", "66.67", "49.99", "true", "percentage"), ES_ACTIVE_3,
          KPI(ES_NEW, "1", "3", "-66.67", "false", "number"),
          KPI(ES_EXP, "25.00", "511.49", "-95.11", "true", "currency"), ES_PEND_2,
          KPI(ES_SENT, "0", "null", "null", "true", "number"),
          KPI(ES_ACC, "1", "null", "null", "true", "number"))},
    /* E: nothing sold; no revenue in June 2024, so both quota values are 100. */
    {"kpis E", DASH "kpis?as_of=2025-06-15", NULL,
     KPIS(KPI(ES_REV, "0.00", "0.00", "null", "true", "currency"),
          KPI(ES_QUOTA, "100.00", "100.00", "0.00", "true", "percentage"),
          KPI(ES_CONV, "0.00", "0.00", "null", "true", "percentage"), ES_ACTIVE_3,
          KPI(ES_NEW, "1", "0", "null", "true", "number"),
          KPI(ES_EXP, "35.00", "0.00", "null", "false", "currency"), ES_PEND_2,
          KPI(ES_SENT, "0", "null", "null", "true", "number"),
          KPI(ES_ACC, "0", "null", "null", "true", "number"))},
    /* G: December 2025 had 4500.00 (target 5400.00 > 0) but November 2025 had
     * nothing, so the previous value is 0. */
    {"kpis G", DASH "kpis?as_of=2026-12-05", NULL,
     KPIS(KPI(ES_REV, "0.00", "0.00", "null", "true", "currency"),
          KPI(ES_QUOTA, "0.00", "0.00", "null", "true", "percentage"),
          KPI(ES_CONV, "0.00", "0.00", "null", "true", "percentage"), ES_ACTIVE_3,
          KPI(ES_NEW, "0", "0", "null", "true", "number"),
          KPI(ES_EXP, "0.00", "0.00", "null", "true", "currency"), ES_PEND_2,
          KPI(ES_SENT, "0", "null", "null", "true", "number"),
          KPI(ES_ACC, "0", "null", "null", "true", "number"))},
    /* ------------------------------------------------------------ summary */
    /* A: margin 3789.25 / 4200.75 = 90.204; 14 expenses of any status dated
     * in 2026 (one in July), the soft-deleted one excluded. */
    {"summary A", DASH "summary?as_of=2026-01-15", NULL,
     "{'total_revenue_ytd':4200.75,'total_expenses_ytd':411.50,'net_profit_ytd':3789.25,"
     "'profit_margin':90.20,'total_clients':3,'total_quotes':3,'total_expenses_count':14,"
     "'revenue_mom_change':-6.65,'expenses_mom_change':17.57,'current_month_revenue':4200.75,"
     "'current_month_expenses':411.50,'current_month_quotes':3}"},
    /* B: revenue 4840.75 + 900.00 + 6100.00; expenses 511.49 + 25.00 + 1054.50;
     * margin 10249.76 / 11840.75 = 86.563. */
    {"summary B", DASH "summary?as_of=2026-03-31", NULL,
     "{'total_revenue_ytd':11840.75,'total_expenses_ytd':1590.99,'net_profit_ytd':10249.76,"
     "'profit_margin':86.56,'total_clients':3,'total_quotes':7,'total_expenses_count':14,"
     "'revenue_mom_change':577.78,'expenses_mom_change':4118.00,"
     "'current_month_revenue':6100.00,'current_month_expenses':1054.50,"
     "'current_month_quotes':2}"},
    /* E: margin 3965.00 / 4000.00 = 99.125, rounded half away from zero; no
     * May figures, so both changes are 0. */
    {"summary E", DASH "summary?as_of=2025-06-15", NULL,
     "{'total_revenue_ytd':4000.00,'total_expenses_ytd':35.00,'net_profit_ytd':3965.00,"
     "'profit_margin':99.13,'total_clients':3,'total_quotes':3,'total_expenses_count':3,"
     "'revenue_mom_change':0.00,'expenses_mom_change':0.00,'current_month_revenue':0.00,"
     "'current_month_expenses':35.00,'current_month_quotes':0}"},
    /* ------------------------------------------------------------ revenue-monthly */
    /* Whole calendar months in local time: the quote of 22:00 on 31 December
     * is December's; the one of 00:30 on 1 April is April's. */
    {"revenue-monthly A", DASH "revenue-monthly?as_of=2026-01-15", NULL,
     "{'current_year':[" PT("2026-01", "4840.75", "Ene 2026") "," PT("2026-02", "900.00",
                                                                       "Feb 2026") ","
     PT("2026-03", "6100.00", "Mar 2026") "," PT("2026-04", "250.00", "Abr 2026") ","
     ZERO("2026", "05", "May") "," ZERO("2026", "06", "Jun") "," ZERO("2026", "07", "Jul") ","
     ZERO("2026", "08", "Ago") "," ZERO("2026", "09", "Sep") "," ZERO("2026", "10", "Oct") ","
     ZERO("2026", "11", "Nov") "," ZERO("2026", "12", "Dic") "],'previous_year':["
     PT("2025-01", "1000.00", "Ene 2025") "," PT("2025-02", "1000.00", "Feb 2025") ","
     PT("2025-03", "2000.00", "Mar 2025") "," ZERO("2025", "04", "Abr") ","
     ZERO("2025", "05", "May") "," ZERO("2025", "06", "Jun") "," ZERO("2025", "07", "Jul") ","
     ZERO("2025", "08", "Ago") "," ZERO("2025", "09", "Sep") "," ZERO("2025", "10", "Oct") ","
     ZERO("2025", "11", "Nov") "," PT("2025-12", "4500.00", "Dic 2025") "],"
     "'total_current_year':12090.75,'total_previous_year':8500.00}"},
    {"revenue-monthly 2025 en", DASH "revenue-monthly?as_of=2026-01-15&year=2025", "en",
     "{'current_year':[" PT("2025-01", "1000.00", "Jan 2025") "," PT("2025-02", "1000.00",
                                                                       "Feb 2025") ","
     PT("2025-03", "2000.00", "Mar 2025") "," ZERO("2025", "04", "Apr") ","
     ZERO("2025", "05", "May") "," ZERO("2025", "06", "Jun") "," ZERO("2025", "07", "Jul") ","
     ZERO("2025", "08", "Aug") "," ZERO("2025", "09", "Sep") "," ZERO("2025", "10", "Oct") ","
     ZERO("2025", "11", "Nov") "," PT("2025-12", "4500.00", "Dec 2025") "],'previous_year':["
     ZERO("2024", "01", "Jan") "," ZERO("2024", "02", "Feb") "," ZERO("2024", "03", "Mar") ","
     ZERO("2024", "04", "Apr") "," ZERO("2024", "05", "May") "," ZERO("2024", "06", "Jun") ","
     ZERO("2024", "07", "Jul") "," ZERO("2024", "08", "Aug") "," ZERO("2024", "09", "Sep") ","
     ZERO("2024", "10", "Oct") "," ZERO("2024", "11", "Nov") "," ZERO("2024", "12", "Dec") "],"
     "'total_current_year':8500.00,'total_previous_year':0.00}"},
    /* ------------------------------------------------------------ expenses-monthly */
    /* by_category keeps the deactivated TOLLS (30.00 + 70.00), the deleted
     * LODGING and an Uncategorized row (15.75 + 54.50), which ties with MEALS
     * (45.25 + 25.00) and follows it by name; they sum to 1660.99. */
    {"expenses-monthly B", DASH "expenses-monthly?as_of=2026-03-31", NULL,
     "{'current_year':[" PT("2026-01", "511.49", "Ene 2026") "," PT("2026-02", "25.00",
                                                                      "Feb 2026") ","
     PT("2026-03", "1054.50", "Mar 2026") "," PT("2026-04", "70.00", "Abr 2026") ","
     ZERO("2026", "05", "May") "," ZERO("2026", "06", "Jun") "," ZERO("2026", "07", "Jul") ","
     ZERO("2026", "08", "Ago") "," ZERO("2026", "09", "Sep") "," ZERO("2026", "10", "Oct") ","
     ZERO("2026", "11", "Nov") "," ZERO("2026", "12", "Dic") "],'previous_year':["
     ZERO("2025", "01", "Ene") "," ZERO("2025", "02", "Feb") "," ZERO("2025", "03", "Mar") ","
     ZERO("2025", "04", "Abr") "," ZERO("2025", "05", "May") ","
     PT("2025-06", "35.00", "Jun 2025") "," ZERO("2025", "07", "Jul") ","
     ZERO("2025", "08", "Ago") "," ZERO("2025", "09", "Sep") "," ZERO("2025", "10", "Oct") ","
     ZERO("2025", "11", "Nov") "," PT("2025-12", "350.00", "Dic 2025") "],"
     "'total_current_year':1660.99,'total_previous_year':385.00,'by_category':["
     "{'category':'FUEL','total':1220.49},{'category':'LODGING','total':200.00},"
     "{'category':'TOLLS','total':100.00},{'category':'MEALS','total':70.25},"
     "{'category':'Uncategorized','total':70.25}]}"},
    {"expenses-monthly 2025", DASH "expenses-monthly?as_of=2026-01-15&year=2025", NULL,
     "{'current_year':[" ZERO("2025", "01", "Ene") "," ZERO("2025", "02", "Feb") ","
     ZERO("2025", "03", "Mar") "," ZERO("2025", "04", "Abr") "," ZERO("2025", "05", "May") ","
     PT("2025-06", "35.00", "Jun 2025") "," ZERO("2025", "07", "Jul") ","
     ZERO("2025", "08", "Ago") "," ZERO("2025", "09", "Sep") "," ZERO("2025", "10", "Oct") ","
     ZERO("2025", "11", "Nov") "," PT("2025-12", "350.00", "Dic 2025") "],'previous_year':["
     ZERO("2024", "01", "Ene") "," ZERO("2024", "02", "Feb") "," ZERO("2024", "03", "Mar") ","
     ZERO("2024", "04", "Abr") "," ZERO("2024", "05", "May") "," ZERO("2024", "06", "Jun") ","
     ZERO("2024", "07", "Jul") "," ZERO("2024", "08", "Ago") "," ZERO("2024", "09", "Sep") ","
     ZERO("2024", "10", "Oct") "," ZERO("2024", "11", "Nov") "," ZERO("2024", "12", "Dic") "],"
     "'total_current_year':385.00,'total_previous_year':0.00,'by_category':["
     "{'category':'MEALS','total':345.00},{'category':'FUEL','total':40.00}]}"},
    /* ------------------------------------------------------------ top-clients */
    /* Beta's last quote is 23:00 local on the 15th (the 16th in UTC). */
    {"top-clients A", DASH "top-clients?as_of=2026-01-15", NULL,
     "{'clients':[" CLIENT("02", "Beta SL", "3200.75", "2", "2026-01-15") ","
     CLIENT("01", "Alfa SA", "1000.00", "1", "2026-01-05") "],'period':'current_year'}"},
    {"top-clients A all_time", DASH "top-clients?as_of=2026-01-15&period=all_time&limit=1", NULL,
     "{'clients':[" CLIENT("02", "Beta SL", "6700.75", "5", "2026-01-15") "],"
     "'period':'all_time'}"},
    {"top-clients B month", DASH "top-clients?as_of=2026-03-31&period=current_month", NULL,
     "{'clients':[" CLIENT("07", "Eta", "6000.00", "1", "2026-03-10") ","
     CLIENT("01", "Alfa SA", "100.00", "1", "2026-03-31") "],'period':'current_month'}"},
    {"top-clients B year", DASH "top-clients?as_of=2026-03-31&period=current_year", NULL,
     "{'clients':[" CLIENT("07", "Eta", "6000.00", "1", "2026-03-10") ","
     CLIENT("02", "Beta SL", "4100.75", "3", "2026-02-05") ","
     CLIENT("01", "Alfa SA", "1100.00", "2", "2026-03-31") ","
     CLIENT("03", "Gamma SRL", "640.00", "1", "2026-01-20") "],'period':'current_year'}"},
    /* ------------------------------------------------------------ recent-activity */
    /* Ties at 23:30 local on the 15th: the quote's id sorts after the
     * client's, so its acceptance comes first. */
    {"recent-activity A", DASH "recent-activity?as_of=2026-01-15&limit=8", NULL,
     "{'events':["
     Q_EVENT("09", "quote_accepted", "Cotización Q-2026-000009", "Cotización aceptada",
             "Carla Soto", "2026-01-16T04:30:00Z", "Q-2026-000009", "accepted", "700.25") ","
     C_EVENT("04", "Cliente: Delta Corp", "Nuevo cliente agregado", "2026-01-16T04:30:00Z",
             "Delta Corp", "prospect") ","
     Q_EVENT("09", "quote_created", "Cotización Q-2026-000009",
             "Cotización creada - Estado: accepted", "Carla Soto", "2026-01-16T04:00:00Z",
             "Q-2026-000009", "accepted", "700.25") ","
     E_EVENT("02", "Gasto aprobado: Almuerzo cliente", "Categoría: MEALS",
             "2026-01-15T23:00:00Z", "45.25", "MEALS", "2026-01-14") ","
     Q_EVENT("04", "quote_created", "Cotización Q-2026-000004",
             "Cotización creada - Estado: sent", "Bruno Díaz", "2026-01-14T21:00:00Z",
             "Q-2026-000004", "sent", "1200.00") ","
     E_EVENT("04", "Gasto aprobado: Hotel Medellín", "Categoría: LODGING",
             "2026-01-13T14:00:00Z", "200.00", "LODGING", "2026-01-12") ","
     Q_EVENT("02", "quote_accepted", "Cotización Q-2026-000002", "Cotización aceptada",
             "Bruno Díaz", "2026-01-12T14:30:00Z", "Q-2026-000002", "accepted", "2500.50") ","
     Q_EVENT("05", "quote_created", "Cotización Q-2026-000005",
             "Cotización creada - Estado: draft", "Carla Soto", "2026-01-11T17:00:00Z",
             "Q-2026-000005", "draft", "300.00") "],'total_events':8}"},
    {"recent-activity A en", DASH "recent-activity?as_of=2026-01-15&limit=4", "en",
     "{'events':["
     Q_EVENT("09", "quote_accepted", "Quote Q-2026-000009", "Quote accepted", "Carla Soto",
             "2026-01-16T04:30:00Z", "Q-2026-000009", "accepted", "700.25") ","
     C_EVENT("04", "Client: Delta Corp", "New client added", "2026-01-16T04:30:00Z",
             "Delta Corp", "prospect") ","
     Q_EVENT("09", "quote_created", "Quote Q-2026-000009", "Quote created - Status: accepted",
             "Carla Soto", "2026-01-16T04:00:00Z", "Q-2026-000009", "accepted", "700.25") ","
     E_EVENT("02", "Expense approved: Almuerzo cliente", "Category: MEALS",
             "2026-01-15T23:00:00Z", "45.25", "MEALS", "2026-01-14") "],'total_events':4}"},
    /* since is exclusive: the approval at exactly 23:00Z is left out. */
    {"recent-activity A since", DASH "recent-activity?as_of=2026-01-15&since=2026-01-15T23:00:00Z",
     NULL,
     "{'events':["
     Q_EVENT("09", "quote_accepted", "Cotización Q-2026-000009", "Cotización aceptada",
             "Carla Soto", "2026-01-16T04:30:00Z", "Q-2026-000009", "accepted", "700.25") ","
     C_EVENT("04", "Cliente: Delta Corp", "Nuevo cliente agregado", "2026-01-16T04:30:00Z",
             "Delta Corp", "prospect") ","
     Q_EVENT("09", "quote_created", "Cotización Q-2026-000009",
             "Cotización creada - Estado: accepted", "Carla Soto", "2026-01-16T04:00:00Z",
             "Q-2026-000009", "accepted", "700.25") "],'total_events':3}"},
    /* The same instant with an offset (URL-encoded +): the same answer. */
    {"recent-activity A since offset",
     DASH "recent-activity?as_of=2026-01-15&since=2026-01-15T18:00:00-05:00&limit=1", NULL,
     "{'events':["
     Q_EVENT("09", "quote_accepted", "Cotización Q-2026-000009", "Cotización aceptada",
             "Carla Soto", "2026-01-16T04:30:00Z", "Q-2026-000009", "accepted", "700.25") "],"
     "'total_events':1}"},
    /* B: the approval at 23:00 local on the 31st counts, the quote of 00:30 on
     * 1 April does not; an uncategorised expense. */
    {"recent-activity B", DASH "recent-activity?as_of=2026-03-31&limit=8", NULL,
     "{'events':["
     E_EVENT("13", "Gasto aprobado: Combustible flota", "Categoría: FUEL",
             "2026-04-01T04:00:00Z", "1000.00", "FUEL", "2026-03-31") ","
     Q_EVENT("21", "quote_accepted", "Cotización Q-2026-000021", "Cotización aceptada",
             "Carla Soto", "2026-04-01T03:00:00Z", "Q-2026-000021", "accepted", "100.00") ","
     Q_EVENT("21", "quote_created", "Cotización Q-2026-000021",
             "Cotización creada - Estado: accepted", "Carla Soto", "2026-04-01T02:00:00Z",
             "Q-2026-000021", "accepted", "100.00") ","
     C_EVENT("06", "Cliente: Zeta", "Nuevo cliente agregado", "2026-04-01T01:00:00Z", "Zeta",
             "inactive") ","
     Q_EVENT("18", "quote_created", "Cotización Q-2026-000018",
             "Cotización creada - Estado: sent", "Bruno Díaz", "2026-03-20T15:00:00Z",
             "Q-2026-000018", "sent", "1000.00") ","
     Q_EVENT("17", "quote_accepted", "Cotización Q-2026-000017", "Cotización aceptada",
             "Ana Ruiz", "2026-03-12T15:00:00Z", "Q-2026-000017", "accepted", "6000.00") ","
     Q_EVENT("17", "quote_created", "Cotización Q-2026-000017",
             "Cotización creada - Estado: accepted", "Ana Ruiz", "2026-03-10T15:00:00Z",
             "Q-2026-000017", "accepted", "6000.00") ","
     E_EVENT("14", "Gasto aprobado: Taxi aeropuerto", "Categoría: Sin categoría",
             "2026-03-06T14:00:00Z", "54.50", "Uncategorized", "2026-03-05") "],"
     "'total_events':8}"},
    /* ------------------------------------------------------------ quota-performance */
    /* A: pace 15/31; Bruno 2500.50 / 2000.00 = 125.025; Ana 1000.00 (the
     * deleted 5000.00 and the quote of the 20th left out); Carla has no quota
     * row; team 3500.50 / 7000.00. */
    {"quota-performance A", DASH "quota-performance?as_of=2026-01-15", NULL,
     "{'year':2026,'month':1,'pace_percent':48.39," TEAM("7000.00", "3500.50", "50.01",
                                                         "on_track") ",'reps':["
     REP("02", "Bruno Díaz", "2000.00", "2500.50", "125.03", "achieved") ","
     REP("01", "Ana Ruiz", "5000.00", "1000.00", "20.00", "behind") "]}"},
    /* A future month: pace 0; the month's revenue as it stands. */
    {"quota-performance A future", DASH "quota-performance?as_of=2026-01-15&year=2026&month=2",
     NULL,
     "{'year':2026,'month':2,'pace_percent':0.00," TEAM("1600.00", "900.00", "56.25",
                                                        "on_track") ",'reps':["
     REP("01", "Ana Ruiz", "1000.00", "900.00", "90.00", "on_track") ","
     REP("02", "Bruno Díaz", "500.00", "0.00", "0.00", "on_track") ","
     REP("03", "Carla Soto", "100.00", "0.00", "0.00", "on_track") "]}"},
    /* C: pace 20/28 = 71.43; ties at 0.00 sorted by name. */
    {"quota-performance C", DASH "quota-performance?as_of=2026-02-20", NULL,
     "{'year':2026,'month':2,'pace_percent':71.43," TEAM("1600.00", "900.00", "56.25",
                                                         "at_risk") ",'reps':["
     REP("01", "Ana Ruiz", "1000.00", "900.00", "90.00", "on_track") ","
     REP("02", "Bruno Díaz", "500.00", "0.00", "0.00", "behind") ","
     REP("03", "Carla Soto", "100.00", "0.00", "0.00", "behind") "]}"},
    /* B: no quota rows in March (the other tenant's must not appear). */
    {"quota-performance B", DASH "quota-performance?as_of=2026-03-31", NULL,
     "{'year':2026,'month':3,'pace_percent':100.00," TEAM("0.00", "0.00", "0.00",
                                                          "behind") ",'reps':[]}"},
    /* A past month: the whole month (Ana's quote of the 20th counts). */
    {"quota-performance B past", DASH "quota-performance?as_of=2026-03-31&month=1", NULL,
     "{'year':2026,'month':1,'pace_percent':100.00," TEAM("7000.00", "4140.50", "59.15",
                                                          "behind") ",'reps':["
     REP("02", "Bruno Díaz", "2000.00", "2500.50", "125.03", "achieved") ","
     REP("01", "Ana Ruiz", "5000.00", "1640.00", "32.80", "behind") "]}"},
};
/* clang-format on */

START_TEST(answers_by_hand)
{
    const struct dash_case *k = &cases[_i];
    struct h_resp r;
    long st = get(k->path, k->lang, admin_token, &r);
    ck_assert_msg(st == 200, "%s: expected 200 from %s, got %ld: %s", k->name, k->path, st, r.body);
    const char *ct = h_header(&r, "Content-Type");
    ck_assert_msg(ct && !strncmp(ct, "application/json", 16),
                  "%s: expected application/json, got %s", k->name, ct);
    const char *vary = h_header(&r, "Vary");
    ck_assert_msg(vary && strstr(vary, "Accept-Language"),
                  "%s: expected Vary: Accept-Language, got %s", k->name, vary);
    expect_body(k->name, &r, k->want);
    h_resp_free(&r);
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
    struct h_resp r;
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-01-15", langs[_i].header, admin_token, &r), 200);
    const cJSON *rev = cJSON_GetObjectItemCaseSensitive(h_json(&r), "total_revenue");
    const char *title = h_jstr(rev, "title");
    ck_assert_msg(title && !strcmp(title, langs[_i].title),
                  "expected title \"%s\" for Accept-Language: %s, got %s", langs[_i].title,
                  langs[_i].header, title);
    h_resp_free(&r);
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
        struct h_resp a, b;
        ck_assert_int_eq(get(bare, NULL, admin_token, &a), 200);
        ck_assert_int_eq(get(dated, NULL, admin_token, &b), 200);
        ck_assert_msg(!strcmp(a.body, b.body), "expected %s to equal %s", bare, dated);
        h_resp_free(&a);
        h_resp_free(&b);
    }
}
END_TEST

/* The other tenant sees only its own rows: 99999.99 in January, its own
 * quota rows, and none of the fixture's. */
START_TEST(other_tenant_sees_its_own)
{
    struct h_resp r;
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-01-15", NULL, leak_token, &r), 200);
    expect_body("the other tenant's kpis", &r,
                KPIS(KPI(ES_REV, "99999.99", "0.00", "null", "true", "currency"),
                     KPI(ES_QUOTA, "200.00", "null", "null", "true", "percentage"),
                     KPI(ES_CONV, "50.00", "0.00", "null", "true", "percentage"),
                     KPI(ES_ACTIVE, "1", "null", "null", "true", "number"),
                     KPI(ES_NEW, "1", "0", "null", "true", "number"),
                     KPI(ES_EXP, "7777.77", "0.00", "null", "false", "currency"),
                     KPI(ES_PEND, "1", "null", "null", "false", "number"),
                     KPI(ES_SENT, "1", "null", "null", "true", "number"),
                     KPI(ES_ACC, "1", "null", "null", "true", "number")));
    h_resp_free(&r);
}
END_TEST

/* Every role reads the dashboard; no token reads nothing. */
START_TEST(roles_and_auth)
{
    struct h_resp r;
    ck_assert_int_eq(get(DASH "summary?as_of=2026-01-15", NULL, analyst_token, &r), 200);
    h_resp_free(&r);
    ck_assert_int_eq(h_get(&D, DASH "summary?as_of=2026-01-15", NULL, &r), 401);
    h_resp_free(&r);
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
    struct h_resp r;
    long st = get(invalid[_i].path, NULL, admin_token, &r);
    ck_assert_msg(st == 422, "expected 422 for %s, got %ld: %s", invalid[_i].path, st, r.body);
    for (int i = 0; i < 3 && invalid[_i].locs[i]; i++)
        ck_assert_msg(h_detail_has_loc(&r, invalid[_i].locs[i]),
                      "expected %s to list loc %s, got %s", invalid[_i].path, invalid[_i].locs[i],
                      r.body);
    ck_assert_msg(h_server_timing_queries(&r) == 0, "expected no SQL for %s", invalid[_i].path);
    h_resp_free(&r);
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
    struct h_resp r, miss, hit;
    ck_assert_int_eq(h_send(&D, "POST", "/api/v1/admin/cache/invalidate", admin_token, NULL, &r),
                     204);
    h_resp_free(&r);
    ck_assert_int_eq(get(path, NULL, admin_token, &miss), 200);
    const char *x = h_header(&miss, "X-Cache");
    ck_assert_msg(x && !strcmp(x, "MISS"), "expected X-Cache: MISS for %s, got %s", path, x);
    ck_assert_msg(h_server_timing_queries(&miss) == 1,
                  "expected exactly 1 SQL statement for %s on a miss, got %d", path,
                  h_server_timing_queries(&miss));
    ck_assert_int_eq(get(path, NULL, admin_token, &hit), 200);
    x = h_header(&hit, "X-Cache");
    ck_assert_msg(x && !strcmp(x, "HIT"), "expected X-Cache: HIT for %s, got %s", path, x);
    ck_assert_msg(h_server_timing_queries(&hit) == 0, "expected no SQL for %s on a hit, got %d",
                  path, h_server_timing_queries(&hit));
    ck_assert_msg(!strcmp(miss.body, hit.body), "expected the hit to repeat the miss for %s", path);
    h_resp_free(&miss);
    h_resp_free(&hit);
}
END_TEST

/* The language is part of the key: a Spanish answer never serves English. */
START_TEST(language_is_part_of_the_key)
{
    struct h_resp es, en;
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-02-20", "es", admin_token, &es), 200);
    ck_assert_int_eq(get(DASH "kpis?as_of=2026-02-20", "en", admin_token, &en), 200);
    ck_assert_msg(strstr(es.body, "Ventas del Mes") && strstr(en.body, "Revenue this month"),
                  "expected Spanish then English titles, got %s / %s", es.body, en.body);
    h_resp_free(&es);
    h_resp_free(&en);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dashboard");
    TCase *tc = h_tcase(s, "dashboard");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_loop_test(tc, answers_by_hand, 0, sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, accept_language, 0, sizeof langs / sizeof langs[0]);
    tcase_add_test(tc, as_of_defaults_to_today_in_zone);
    tcase_add_test(tc, other_tenant_sees_its_own);
    tcase_add_test(tc, roles_and_auth);
    tcase_add_loop_test(tc, invalid_queries_answer_422, 0, sizeof invalid / sizeof invalid[0]);
    tcase_add_loop_test(tc, one_statement_per_miss, 0,
                        sizeof every_endpoint / sizeof every_endpoint[0]);
    tcase_add_test(tc, language_is_part_of_the_key);
    return h_main(s, "it_dashboard", setup);
}
