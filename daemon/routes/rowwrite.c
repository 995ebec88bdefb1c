/* Helpers shared by the row-per-object resource routes: body fields as statement parameters,
 * locked reads, writes that name their conflict. */
#include "routes/rowwrite.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool rowwrite_validate(const struct ctx *c, const struct field *fields, bool partial,
                       struct verr *v)
{
    struct field copy[ROWWRITE_MAX_FIELDS + 1];
    size_t n = 0;
    for (; n < ROWWRITE_MAX_FIELDS && fields[n].name; n++) {
        copy[n] = fields[n];
        copy[n].required = copy[n].required && !partial;
    }
    copy[n] = (struct field){.name = NULL};
    return body_validate(c, copy, v);
}

void rowwrite_args_fill(const struct ctx *c, const struct field *fields, struct rowwrite_args *a)
{
    size_t used = 0;
    memset(a->value, 0, sizeof a->value);
    a->present[used++] = '{';
    for (size_t i = 0; i < ROWWRITE_MAX_FIELDS && fields[i].name; i++) {
        const struct field *f = &fields[i];
        const cJSON *j = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, f->name) : NULL;
        if (!j)
            continue;
        /* Field names are plain identifiers: no quoting needed in the literal. */
        int w = snprintf(a->present + used, sizeof a->present - used, "%s%s", used > 1 ? "," : "",
                         f->name);
        if (w > 0 && (size_t)w < sizeof a->present - used)
            used += (size_t)w;
        if (cJSON_IsNull(j))
            continue;
        switch (f->type) {
        case F_MONEY:
            if (body_money(c, f->name, a->buf[i]))
                a->value[i] = a->buf[i];
            break;
        case F_INT:
        case F_NUMBER:
            snprintf(a->buf[i], sizeof a->buf[i], "%.15g", j->valuedouble);
            a->value[i] = a->buf[i];
            break;
        case F_BOOL:
            a->value[i] = cJSON_IsTrue(j) ? "true" : "false";
            break;
        default:
            a->value[i] = j->valuestring;
            break;
        }
    }
    snprintf(a->present + used, sizeof a->present - used, "}");
}

bool rowwrite_invalid(struct ctx *c, struct verr *v, bool in_tx)
{
    bool any = verr_any(v);
    if (any && in_tx)
        write_abort(c);
    verr_respond(v, c);
    verr_free(v);
    return any;
}

PGresult *rowwrite_exec(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p,
                        const char *conflict)
{
    PGresult *res = NULL;
    enum db_status s = db_exec(c->db, st, n, p, &res);
    if (s == DB_OK)
        return res;
    write_abort(c);
    if (s == DB_UNIQUE && conflict)
        resp_error(c, 409, conflict);
    else
        resp_db_error(c, s);
    return NULL;
}

PGresult *rowwrite_lock(struct ctx *c, const struct sql_stmt *st, const char *id)
{
    const char *p[] = {id, c->tenant_id};
    PGresult *res = res_exec(c, st, 2, p);
    if (res && PQntuples(res) < 1) {
        PQclear(res);
        write_abort(c);
        resp_error(c, 404, "Not Found");
        return NULL;
    }
    return res;
}

bool rowwrite_forbid_others(struct ctx *c, const char *owner)
{
    if (c->role != ROLE_SALES_REP || !strcmp(owner, c->user_id))
        return false;
    write_abort(c);
    resp_error(c, 403, "Forbidden");
    return true;
}

bool rowwrite_begin_locked(struct ctx *c, const struct sql_stmt *lock)
{
    if (!write_begin(c))
        return false;
    PGresult *res = rowwrite_lock(c, lock, c->params[0]);
    PQclear(res);
    return res != NULL;
}

void rowwrite_finish(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p,
                     const char *conflict, int status, const char *prefix)
{
    PGresult *res = rowwrite_exec(c, st, n, p, conflict);
    if (!res)
        return;
    if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0)) {
        rowwrite_commit_object(c, status, res, prefix);
        return;
    }
    PQclear(res);
    rowwrite_commit_empty(c);
}

void rowwrite_delete(struct ctx *c, const struct sql_stmt *lock, const struct sql_stmt *del)
{
    if (!rowwrite_begin_locked(c, lock))
        return;
    const char *p[] = {c->params[0], c->tenant_id};
    rowwrite_finish(c, del, 2, p, NULL, 200, NULL);
}

void rowwrite_commit_object(struct ctx *c, int status, PGresult *res, const char *prefix)
{
    if (!write_commit(c)) {
        PQclear(res);
        return;
    }
    object_respond(c, status, res, prefix);
}

void rowwrite_commit_empty(struct ctx *c)
{
    if (write_commit(c))
        resp_empty(c, 204);
}

void rowwrite_read(struct ctx *c, const struct sql_stmt *st, int n, const char *const *p)
{
    PGresult *res = res_exec(c, st, n, p);
    if (res)
        object_respond(c, 200, res, NULL);
}

void rowwrite_get(struct ctx *c, const struct sql_stmt *st)
{
    const char *p[] = {c->params[0], c->tenant_id};
    rowwrite_read(c, st, 2, p);
}

void rowwrite_list(struct ctx *c, const struct list_query *q, const struct sql_stmt *st, int n,
                   const char *const *p)
{
    PGresult *res = res_exec(c, st, n, p);
    if (res)
        list_respond(c, q, res);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void rowwrite_check_pattern(const struct ctx *c, const char *name, const char *pattern,
                            const char *msg, struct verr *v)
{
    const char *s = body_str(c, name);
    size_t n = strlen(pattern);
    if (!s || utf8_chars(s) != n)
        return;
    bool ok = strlen(s) == n;
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (pattern[i] == 'h')
            ok = isxdigit(ch);
        else if (pattern[i] == 'A')
            ok = ch >= 'A' && ch <= 'Z';
        else
            ok = ch == (unsigned char)pattern[i];
    }
    if (!ok) {
        char loc[96];
        snprintf(loc, sizeof loc, "body.%s", name);
        verr_add(v, loc, msg, "value_error.str.regex");
    }
}
