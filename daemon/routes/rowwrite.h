/* Helpers shared by the row-per-object resource routes: body fields as statement parameters,
 * locked reads, writes that name their conflict. */
#ifndef ONQUOTA_ROWWRITE_H
#define ONQUOTA_ROWWRITE_H

#include <stdbool.h>

#include "api/body.h"
#include "routes/resource.h"

#define ROWWRITE_MAX_FIELDS 12

/* The ISO 8601 instant of a timestamptz column, in UTC with a Z, for SQL text. */
#define ROWWRITE_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Update statements alias the table x and take the text[] of the fields the
 * body names as $3: ROWWRITE_KEEP sets col to param (cast to type) when named,
 * and keeps it otherwise, so that PUT is a partial update. */
#define ROWWRITE_KEEP(col, param, type)                                                            \
    " " col " = CASE WHEN '" col "' = ANY($3::text[]) THEN " param "::" type " ELSE x." col " END"

/* One sortable field of a list, matching list_query.sort (param) against
 * "col" and "-col" over rows aliased b; end the ORDER BY with b.id. */
#define ROWWRITE_SORT(param, col)                                                                  \
    " CASE WHEN " param " = '" col "' THEN b." col " END ASC,"                                     \
    " CASE WHEN " param " = '-" col "' THEN b." col " END DESC,"

/* A validated body as statement parameters, one per field of a field table,
 * in table order. Values point into c->json or into buf; valid while both
 * live. */
struct rowwrite_args {
    const char *value[ROWWRITE_MAX_FIELDS]; /* text; NULL when absent or JSON null */
    char buf[ROWWRITE_MAX_FIELDS][32];      /* number text */
    char present[512]; /* a text[] literal of the fields the body names: "{name,color}" */
};

/* Checks c->json against fields like body_validate. With partial (PUT), no
 * field is required: a partial update takes any subset of create's fields. */
bool rowwrite_validate(const struct ctx *c, const struct field *fields, bool partial,
                       struct verr *v);

/* Fills a from c->json for fields (NULL-name terminated, at most
 * ROWWRITE_MAX_FIELDS), which rowwrite_validate accepted. Update statements test
 * "'name' = ANY($n::text[])" against a->present to keep absent fields. */
void rowwrite_args_fill(const struct ctx *c, const struct field *fields, struct rowwrite_args *a);

/* Answers 422 when v holds errors, rolling back the open write when in_tx.
 * Frees v. Returns true when it answered. */
bool rowwrite_invalid(struct ctx *c, struct verr *v, bool in_tx);

/* Runs st inside the open write. A unique violation answers 409 with
 * conflict as the detail; other failures answer as res_exec does. Both roll
 * back. Returns the result (caller clears) or NULL after answering. */
PGresult *rowwrite_exec(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p,
                        const char *conflict);

/* Commits the open write (invalidating the tenant's cache) and answers res,
 * whose first column is the object's JSON, with status (201 sets Location
 * under prefix). Consumes res. */
void rowwrite_commit_object(struct ctx *c, int status, PGresult *res, const char *prefix);

/* Commits the open write and answers 204. */
void rowwrite_commit_empty(struct ctx *c);

/* Opens a write and locks the object of the path (lock takes $1 id,
 * $2 tenant; typically SELECT ... FOR UPDATE). Answers 404 (rolling back)
 * when there is no row. Returns true when the write is open and the row
 * locked. */
bool rowwrite_begin_locked(struct ctx *c, const struct sql_stmt *lock);

/* Runs a statement ($1 id, $2 tenant; typically SELECT ... FOR UPDATE)
 * inside the open write. No row rolls back and answers 404. Returns the
 * result (caller clears) or NULL after answering. */
PGresult *rowwrite_lock(struct ctx *c, const struct sql_stmt *st, const char *id);

/* Answers 403 {"detail": "Forbidden"} when the caller is a sales rep and
 * owner is not the caller, rolling back the open write. Returns true when it
 * answered. */
bool rowwrite_forbid_others(struct ctx *c, const char *owner);

/* Ends a write: rowwrite_exec(st), then rowwrite_commit_object with status and prefix
 * when the statement yields an object in its first column, or
 * rowwrite_commit_empty (204) when it yields none (a delete). */
void rowwrite_finish(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p,
                     const char *conflict, int status, const char *prefix);

/* A delete of the object of the path: rowwrite_begin_locked(lock), then
 * rowwrite_finish(del) with $1 id, $2 tenant: 204, or 200 with the object when
 * del answers one (a category deactivated instead of deleted). */
void rowwrite_delete(struct ctx *c, const struct sql_stmt *lock, const struct sql_stmt *del);

/* Runs a read whose first column is one object's JSON and answers it with
 * 200, or 404 without a row. */
void rowwrite_read(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p);

/* rowwrite_read for the object of the path: st takes $1 id, $2 tenant. */
void rowwrite_get(struct ctx *c, const struct sql_stmt *st);

/* Runs a list statement and answers the page (see list_respond). */
void rowwrite_list(struct ctx *c, const struct list_query *q, const struct sql_stmt *st, int n,
                   const char *const *p);

/* Adds "loc: msg" (value_error) to v when field name is a string whose
 * every character does not fit pattern, a string of the same length where
 * 'h' stands for a hex digit, 'A' for an upper-case letter and any other
 * character for itself. Strings of the wrong length are left to the length
 * check of the field table. */
void rowwrite_check_pattern(const struct ctx *c, const char *name, const char *pattern,
                            const char *msg, struct verr *v);

#endif
