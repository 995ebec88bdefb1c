/* libpq helpers for the command-line tools (migrate, seed): error text, checked execution. */
#ifndef ONQUOTA_PGUTIL_H
#define ONQUOTA_PGUTIL_H

#include <libpq-fe.h>

/* Returns a malloc'd one-line message: the server's primary message for res
 * (or libpq's for conn when there is none), prefixed with "what: " when what
 * is not NULL. Never NULL. */
char *pg_error(PGconn *conn, const PGresult *res, const char *what);

/* Runs sql and checks that it answers want. On success returns 0 and, when
 * keep is not NULL, hands the result to the caller (who PQclears it). On
 * failure returns -1 with *err = pg_error(conn, res, what). */
int pg_exec_expect(PGconn *conn, const char *sql, ExecStatusType want, const char *what,
                   PGresult **keep, char **err);

#endif
