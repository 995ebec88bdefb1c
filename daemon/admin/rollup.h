/* The dashboard rollups (004_rollups.sql): verify against the base tables, rebuild, follow the
 * zone. */
#ifndef ONQUOTA_ROLLUP_H
#define ONQUOTA_ROLLUP_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

#include "runtime/config.h"

/* Recomputes every rollup from the base tables in one snapshot and prints
 * each difference to out (at most a few per table, plus a count). Returns the
 * number of differing rows, or -1 with *err set (caller frees). */
long rollup_verify(PGconn *conn, FILE *out, char **err);

/* Refills every rollup from the base tables in one transaction, with days in
 * zone (NULL: the zone they have now). Writers to quotes, expenses and clients
 * wait meanwhile; readers do not. Returns 0, or -1 with *err set (caller frees). */
int rollup_rebuild(PGconn *conn, const char *zone, char **err);

/* Makes the rollups' zone the given one, rebuilding them when it differs
 * (*rebuilt says whether it did). Safe when several daemons start at once.
 * Returns 0, or -1 with *err set (caller frees). */
int rollup_follow_zone(PGconn *conn, const char *zone, bool *rebuilt, char **err);

/* "onquotad rollup --verify|--rebuild": exit status 0, 1 (a difference or a
 * failure) or 2 (usage). */
int cli_rollup(const struct config *cfg, int argc, char **argv);

#endif
