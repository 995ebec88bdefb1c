/* Read replica lag: the primary's WAL position of a write, and whether the replica has replayed it.
 */
#ifndef ONQUOTA_REPLICA_H
#define ONQUOTA_REPLICA_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A WAL position as decimal text (an unsigned 64-bit number), plus the NUL. */
#define LSN_TEXT_MAX 21

/* The statements of this module (prepared on primary and replica alike). */
extern const struct sql_stmt replica_sql[];

/* Parses PostgreSQL's "X/Y" LSN text into *out; false when it is not one. */
bool lsn_parse(const char *text, uint64_t *out);

/* The primary's current WAL position (pg_current_wal_lsn()), after a
 * write has committed on primary: written as decimal text into out.
 * Returns false (out "") when it cannot be read. Runs one statement. */
bool replica_write_lsn(struct db *primary, char out[LSN_TEXT_MAX]);

/* True when replica has replayed the WAL up to lsn (decimal text; NULL or
 * "" counts as replayed). A position already seen replayed is answered
 * without a statement; otherwise one pg_last_wal_replay_lsn() runs. False
 * when the replica is behind or cannot say (the caller reads the primary).
 * A server not in recovery (a promoted replica) counts as caught up.
 * Thread-safe. */
bool replica_caught_up(struct db *replica, const char *lsn);

#endif
