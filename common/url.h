/* Connection URL parsing: DATABASE_URL to libpq conninfo, REDIS_URL to a target. */
#ifndef ONQUOTA_URL_H
#define ONQUOTA_URL_H

/* Converts a database URL to a string libpq accepts. Accepts postgresql://,
 * postgres:// and the original's postgresql+asyncpg:// (the "+driver" part is
 * dropped), as well as a plain libpq key=value conninfo (returned as is).
 * Returns a malloc'd string, or NULL with a malloc'd *err explaining why. */
char *url_pg_conninfo(const char *url, char **err);

/* Sentinels a redis+sentinel:// URL may name. */
#define URL_SENTINELS_MAX 16

struct redis_sentinel {
    char *host;
    int port; /* default 26379 */
};

struct redis_target {
    char *host;      /* NULL for a unix socket or a redis+sentinel:// URL */
    int port;        /* default 6379; 0 for a unix socket */
    char *unix_path; /* set for unix:///path or redis+unix:// */
    int db;          /* from /N or ?db=N; default 0 */
    char *username;  /* optional (ACL) */
    char *password;  /* optional; for the data nodes, not the Sentinels */
    /* redis+sentinel://: the primary's name at the Sentinels, and the
     * Sentinels to ask where it is (host and port above stay unset). */
    char *sentinel_master;
    struct redis_sentinel *sentinels;
    int nsentinels; /* 1 to URL_SENTINELS_MAX */
};

/* Parses redis://[[user]:password@]host[:port][/db], rediss is refused,
 * unix:///path[?db=N][&password=P], and
 * redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db]
 * (Sentinels on port 26379 unless named). Returns 0, or -1 with a malloc'd *err.
 * On success the caller frees with redis_target_free(). */
int url_redis_parse(const char *url, struct redis_target *out, char **err);
void redis_target_free(struct redis_target *t);

/* A deep copy of src into *dst; the caller frees with redis_target_free(). */
void redis_target_copy(struct redis_target *dst, const struct redis_target *src);

/* Returns a malloc'd copy of url with any password replaced by "***"
 * (URL userinfo, password= in conninfo or query strings). */
char *url_mask_secret(const char *url);

#endif
