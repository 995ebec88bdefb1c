/* Table-driven request cases for the resource suites: {VAR} templates, statuses, 422 locs. */
#ifndef ONQUOTA_TEST_RES_CASES_H
#define ONQUOTA_TEST_RES_CASES_H

#include "harness.h"

/* A template variable of case paths and bodies: "{E}" stands for value. */
struct cases_var {
    const char *name; /* "{E}" */
    const char *value;
};

/* One request and what it must answer. who indexes the suite's tokens;
 * loc (dotted, "body.amount") is required in a 422's detail list. */
struct cases_case {
    int who;
    const char *method;
    const char *path;
    const char *body; /* NULL: none */
    long status;
    const char *loc;
};

/* Sets the template variables (a NULL-name terminated array that stays alive). */
void cases_vars(const struct cases_var *vars);

/* text with every template variable replaced (malloc'd). */
char *cases_expand(const char *text);

/* Sends the case with tokens[k->who] and fails the test, naming the case,
 * unless it answers k->status (and, for a 422, lists k->loc). */
void cases_run(const struct cases_case *k, char *const *tokens);

/* The callers a resource suite holds an API token of, one array indexed by
 * who (a suite fills the ones it uses; the others stay NULL). */
enum who { ADMIN, SUPERVISOR, REP, REP2, ANALYST, OTHER_TENANT, NWHO };

/* The one call helper of the resource suites: sends method path (template
 * variables expanded) with body and token to d, asserts the status, and
 * returns the answer's JSON (NULL without one): owned by r (freed with
 * harness_resp_free), or, when r is NULL, a copy the caller frees with
 * cJSON_Delete. */
cJSON *cases_call(const struct harness_daemon *d, const char *token, const char *method,
                  const char *path, const char *body, long status, struct harness_resp *r);

/* POSTs body to path, asserts 201 with a Location ending in the new id and
 * returns the id (malloc'd). */
char *cases_create(const struct harness_daemon *d, const char *token, const char *path,
                   const char *body);

/* The number at a dotted path of o ("total_expenses.current_value");
 * fails the test when it is not a number. */
double cases_num(const cJSON *o, const char *path);

/* Asserts that GET path (a list, with '?' or not) costs the same number
 * of SQL statements with page_size=1 and page_size=100, and that both pages
 * answer 200 with at least min_items items on the larger page. */
void cases_same_queries(const struct harness_daemon *d, const char *token, const char *path,
                        int min_items);

/* The daemon the cases talk to (set by the suite). */
extern struct harness_daemon cases_daemon;

/* Starts cases_daemon on the suite's database with no background jobs and no
 * periodic probe (so statement counts are exact), plus extra arguments
 * (NULL-terminated, may be NULL), and sets the suite's variables. */
void cases_start(const char *const *extra, const struct cases_var *vars);
/* Stops cases_daemon, checking its log for sanitizer reports. */
void cases_stop(void);

#endif
