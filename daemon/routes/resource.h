/* Resource route plumbing: list queries, JSON answers, writes that invalidate the cache. */
#ifndef ONQUOTA_RESOURCE_H
#define ONQUOTA_RESOURCE_H

#include <stdbool.h>

#include "store/db.h"
#include "api/request.h"

#define LIST_MAX_FILTERS 8

enum filter_type { FILTER_TEXT, FILTER_UUID, FILTER_DATE, FILTER_INT, FILTER_BOOL, FILTER_ENUM };

struct list_filter {
    const char *name; /* query parameter, e.g. "status" */
    enum filter_type type;
    const char *const *values; /* FILTER_ENUM: NULL-terminated */
    long min, max;             /* FILTER_INT */
};

/* What a list accepts. "page", "page_size", "sort" and (when searchable)
 * "search" are always known; filters adds the rest. */
struct list_spec {
    const char *const *sortable; /* NULL-terminated field names */
    const char *default_sort;    /* "-created_at" */
    bool searchable;
    struct list_filter filters[LIST_MAX_FILTERS]; /* ends at name == NULL */
};

/* A validated list request, as text ready for SQL parameters. */
struct list_query {
    long page, page_size;
    char limit[24], offset[24];
    char sort[64];                        /* "created_at" or "-created_at": match it in SQL with
                                             ORDER BY CASE WHEN $n = 'name' THEN name END ASC,
                                             CASE WHEN $n = '-name' THEN name END DESC, ..., id */
    const char *search;                   /* NULL when absent; points into the ctx */
    const char *filter[LIST_MAX_FILTERS]; /* in spec order; NULL when absent */
};

/* Validates c's query against spec: unknown or repeated parameters, page,
 * page_size (1..100), sort (a sortable field, optional '-'), each filter's
 * type. Answers 422 listing every problem and returns false on failure. */
bool list_parse(struct ctx *c, const struct list_spec *spec, struct list_query *q);

/* Answers a list from a result whose first row, first column is
 * {"total": N, "items": [...]} JSON text (build it in SQL with json_agg), adding
 * page, page_size and pages. Consumes res. */
void list_respond(struct ctx *c, const struct list_query *q, PGresult *res);

/* Answers an object from a result whose first row, first column is its
 * JSON text, with status (200 or 201; 201 also sets Location to
 * location_prefix + "/" + the object's "id"). No row answers 404.
 * Consumes res. */
void object_respond(struct ctx *c, int status, PGresult *res, const char *location_prefix);

/* Writes: write_begin() opens the transaction (answers and returns false
 * on failure); write_commit() commits and, on success, calls
 * cache_invalidate_tenant() for c's tenant; write_abort() rolls back. Every
 * successful mutation goes through write_commit(). */
bool write_begin(struct ctx *c);
bool write_commit(struct ctx *c);
void write_abort(struct ctx *c);

/* Runs a statement, answering the documented error (resp_db_error) and
 * rolling back an open write on failure. Returns the result (caller
 * clears) or NULL after answering. */
PGresult *res_exec(struct ctx *c, const struct sql_stmt *st, int n, const char *const *params);

#endif
