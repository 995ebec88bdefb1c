/* libpq helpers for the command-line tools (migrate, seed): error text, checked execution. */
#include "store/pgutil.h"

#include <string.h>

#include "xalloc.h"

char *pg_error(PGconn *conn, const PGresult *res, const char *what)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m || !*m)
        m = PQerrorMessage(conn);
    size_t len = strlen(m);
    while (len > 0 && (m[len - 1] == '\n' || m[len - 1] == ' '))
        len--;
    return what ? xasprintf("%s: %.*s", what, (int)len, m) : xasprintf("%.*s", (int)len, m);
}

int pg_exec_expect(PGconn *conn, const char *sql, ExecStatusType want, const char *what,
                   PGresult **keep, char **err)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != want) {
        *err = pg_error(conn, res, what);
        PQclear(res);
        return -1;
    }
    if (keep)
        *keep = res;
    else
        PQclear(res);
    return 0;
}
