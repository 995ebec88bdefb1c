/* The fleet's identity: daemons sharing one database coordinate through Redis keys scoped by it. */
#ifndef ONQUOTA_FLEET_H
#define ONQUOTA_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/config.h"

#define FLEET_ID_LEN 16

/* A short stable id of the fleet cfg belongs to: 16 hex characters of the
 * SHA-256 of the database name in cfg->database_url ("default" when cfg is
 * NULL or the URL names none). Daemons of one fleet (the same database,
 * whatever host name they reach it by) get the same id; fleets sharing one
 * Redis do not collide. Computed once; later calls ignore cfg. Thread-safe;
 * the string is static. */
const char *fleet_id(const struct config *cfg);

/* The longest key the daemon builds, terminator included. */
#define FLEET_KEY_MAX 256

/* Writes the Redis key (or pub/sub channel) "onquota:<fleet id>:<kind>" and,
 * when the printf-formatted rest is not empty, ":<rest>" into out (n bytes).
 * Every key the daemon uses is built here, so fleets sharing one Redis never
 * read each other's keys; a tenant's keys put the tenant id in a {hash tag}.
 * The fleet is fleet_id()'s, fixed by its first call (the server's start).
 * Returns false when the key did not fit (out is then truncated). */
bool fleet_key(char *out, size_t n, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
