/* The daemon's administrative subcommands: migrate, seed, user add, token create, routes. */
#ifndef ONQUOTA_CLI_H
#define ONQUOTA_CLI_H

#include <libpq-fe.h>
#include <stdio.h>

#include "runtime/config.h"

/* A short-lived connection for a subcommand (session time zone UTC); prints why on
 * failure and returns NULL. Caller PQfinishes it. */
PGconn *cli_connect(const struct config *cfg);

/* Each runs one subcommand with its own arguments (argv[0] is the
 * subcommand name) and returns the process exit status: 0 on success, 1 on
 * a runtime failure (message on stderr), 2 on a usage error. */
int cli_migrate(const struct config *cfg, int argc, char **argv);
int cli_seed(const struct config *cfg, int argc, char **argv);
int cli_user(const struct config *cfg, int argc, char **argv);
int cli_token(const struct config *cfg, int argc, char **argv);

/* Prints the route table the router uses, one "METHOD PATTERN ROLES" line
 * per route to `out` (ROLES is "public" or role names joined by ','). Needs
 * no configuration. Returns 0, or 2 on a usage error (extra arguments). */
int cli_routes(FILE *out, int argc, char **argv);

#endif
