/* The vehicles_users suite's shared fixture and helpers (test_vehicles_users.c, test_users.c). */
#ifndef ONQUOTA_TEST_VEHICLES_USERS_H
#define ONQUOTA_TEST_VEHICLES_USERS_H

#include <stdbool.h>

#include "harness.h"
#include "res_cases.h"

#define VEHICLES "/api/v1/transport/vehicles"
#define USERS "/api/v1/users"
#define PASSWORD "/api/v1/auth/password"
#define ACME "(SELECT id FROM tenants WHERE domain = 'acme.example')"
#define BOREALIS "(SELECT id FROM tenants WHERE domain = 'borealis.example')"
#define UNKNOWN_ID "3f2c4b1e-0000-4000-8000-000000000000"

extern char *tok[NWHO];

/* The admin of a tenant of the suite's own (random id), whose cached
 * dashboard no other suite's daemon can share, and a rep of it with a quota
 * this month. private_tok is the admin's API token. */
#define PRIVATE_ADMIN "owner@private.test"
#define PRIVATE_REP "solo.rep@private.test"
extern char *private_tok;

/* D runs for every test; B, a second instance for cross-instance checks,
 * is started by the tests that need it and stopped after each. */
extern struct harness_daemon D, B;

/* Daemon flags: no background jobs or probes (their statements would blur
 * query counts). */
extern const char *const quiet[];

/* Asserts the status of one request and frees the answer. */
void vehicles_users_expect(const struct harness_daemon *d, const char *token, const char *method,
                           const char *path, const char *body, long want);

/* True when o's string member name equals want. */
bool vehicles_users_str_is(const cJSON *o, const char *name, const char *want);

/* POSTs body to path on D as who, expecting 201 with a Location under
 * path; returns the new id (malloc'd). */
char *vehicles_users_create(enum who who, const char *path, const char *body);

/* GET path costs as many statements with pages of 1 as of 100 (the token
 * warmed first, so that its lookup counts in neither). */
void vehicles_users_same_queries(const char *path, enum who who);

/* Logs in on d and returns the access token (malloc'd). */
char *vehicles_users_login(const struct harness_daemon *d, const char *email, const char *password);

/* Polls GET path on d with token until it answers want, asserting that it
 * does within 100 ms; what names the expectation. */
void vehicles_users_within_100ms(const struct harness_daemon *d, const char *token,
                                 const char *path, long want, const char *what);

/* Asserts that the string field of the items of the list answer o, in
 * order and joined with commas, is the value of sql. */
void vehicles_users_expect_listed(const cJSON *o, const char *field, const char *sql);

/* Another tenant's id (foreign), an unknown one and a malformed one under
 * base answer 404 to the admin on GET, on PUT with a valid (good) and an
 * invalid (bad) body (existence comes before validation), and on DELETE
 * when deletable. */
void vehicles_users_expect_404s(const char *base, const char *foreign, const char *good,
                                const char *bad, bool deletable);

/* Uses token on d twice, so that it is warm in that instance's cache. */
void vehicles_users_warm(const struct harness_daemon *d, const char *token);

/* Adds the users and password tests (test_users.c) to tc. */
void users_add_tests(TCase *tc);

#endif
