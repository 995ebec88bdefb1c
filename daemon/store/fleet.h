/* The fleet's identity: daemons sharing one database coordinate through Redis keys scoped by it. */
#ifndef ONQUOTA_FLEET_H
#define ONQUOTA_FLEET_H

#include "runtime/config.h"

#define FLEET_ID_LEN 16

/* A short stable id of the fleet cfg belongs to: 16 hex characters of the
 * SHA-256 of the database name in cfg->database_url ("default" when cfg is
 * NULL or the URL names none). Daemons of one fleet (the same database,
 * whatever host name they reach it by) get the same id; fleets sharing one
 * Redis do not collide. Computed once; later calls ignore cfg. Thread-safe;
 * the string is static. */
const char *fleet_id(const struct config *cfg);

#endif
