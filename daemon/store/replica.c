/* Read replica lag: the primary's WAL position of a write, and whether the replica has replayed it.
 */
#include "store/replica.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

enum { Q_WRITE_LSN, Q_REPLAY_LSN };

const struct sql_stmt replica_sql[] = {
    [Q_WRITE_LSN] = {.name = "replica_write_lsn", .sql = "SELECT pg_current_wal_lsn()::text"},
    [Q_REPLAY_LSN] = {.name = "replica_replay_lsn",
                      .sql = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text"},
    {.name = NULL, .sql = NULL},
};

/* The furthest position a replica of this process was seen to have
 * replayed: a write older than that needs no statement. */
static _Atomic uint64_t replayed;

bool lsn_parse(const char *text, uint64_t *out)
{
    unsigned int hi, lo;
    char end;
    if (!text || sscanf(text, "%X/%X%c", &hi, &lo, &end) != 2)
        return false;
    *out = (uint64_t)hi << 32 | lo;
    return true;
}

bool replica_write_lsn(struct db *primary, char out[LSN_TEXT_MAX])
{
    out[0] = '\0';
    PGresult *r = NULL;
    uint64_t lsn;
    bool ok = db_exec(primary, &replica_sql[Q_WRITE_LSN], 0, NULL, &r) == DB_OK &&
              PQntuples(r) == 1 && lsn_parse(PQgetvalue(r, 0, 0), &lsn);
    if (ok)
        snprintf(out, LSN_TEXT_MAX, "%" PRIu64, lsn);
    PQclear(r);
    return ok;
}

bool replica_caught_up(struct db *replica, const char *lsn)
{
    if (!lsn || !*lsn)
        return true;
    char *end;
    uint64_t want = strtoull(lsn, &end, 10);
    if (*end)
        return true; /* not ours to judge: nothing to wait for */
    if (atomic_load(&replayed) >= want)
        return true;
    PGresult *r = NULL;
    if (db_exec(replica, &replica_sql[Q_REPLAY_LSN], 0, NULL, &r) != DB_OK || PQntuples(r) != 1) {
        PQclear(r);
        return false;
    }
    bool in_recovery = PQgetvalue(r, 0, 0)[0] == 't';
    uint64_t at = 0;
    bool known = lsn_parse(PQgetvalue(r, 0, 1), &at);
    PQclear(r);
    if (!in_recovery)
        return true;
    if (!known)
        return false;
    uint64_t seen = atomic_load(&replayed);
    while (at > seen && !atomic_compare_exchange_weak(&replayed, &seen, at))
        ;
    return at >= want;
}
