/* Loads the deterministic demo data set of data.md ("onquotad seed --demo"). */
#ifndef ONQUOTA_SEED_H
#define ONQUOTA_SEED_H

#include <stdbool.h>
#include <stdio.h>

#include <libpq-fe.h>

struct seed_opts {
    int scale;              /* 1..1000: multiplies clients, quotes and expenses */
    unsigned long seed;     /* same seed (and same UTC day) => same counts, sums and dates */
    const char *password;   /* password of every demo user; NULL means "demo" */
    const char *token_file; /* NULL, or where to write an API token for admin@acme.example */
    FILE *out;              /* progress and the demo logins; may be NULL */
    bool reset;             /* delete existing demo tenants (and all their rows) first */
};

/*
 * Loads the two demo tenants ("Acme Distribución", acme.example and "Borealis
 * Foods", borealis.example) with their users, clients, quotes and items,
 * expense categories and expenses, quotas and vehicles, in ONE transaction,
 * with COPY. Dates are relative to the current UTC date; timestamps that
 * would lie in the future are pulled back to now, which moves times of day
 * but never dates, counts or sums.
 *
 * Refuses (returns -1) when a demo tenant already exists, unless o->reset.
 * The schema must be migrated. With o->token_file, also stores an API token
 * (kind 'api', name 'demo', 30 days) for admin@acme.example and writes it,
 * plus a newline, to that file with mode 0600; the file is written before
 * COMMIT and removed again if the commit fails.
 *
 * `conn` must be idle. Returns 0, or -1 with *err set to a malloc'd message
 * (the caller frees it) and nothing committed. Not thread-safe with respect
 * to `conn`.
 */
int seed_demo(PGconn *conn, const struct seed_opts *o, char **err);

#endif
