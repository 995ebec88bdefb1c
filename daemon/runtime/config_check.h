/* Validation of the configuration's string values: listen address, URLs, time zone, limits. */
#ifndef ONQUOTA_CONFIG_CHECK_H
#define ONQUOTA_CONFIG_CHECK_H

/* Each returns 0 when value is acceptable for its key, or -1 with a
 * malloc'd one-phrase reason in *why ("must be json or text"). They are the
 * `check` hooks of config.c's key table. */
int check_listen(const char *v, char **why);
int check_pg_url(const char *v, char **why);
int check_redis_url(const char *v, char **why);
int check_timezone(const char *v, char **why);
int check_log_format(const char *v, char **why);
int check_log_level(const char *v, char **why);
int check_rate_limit(const char *v, char **why);
int check_login_throttle(const char *v, char **why);
int check_cors_origins(const char *v, char **why);
int check_trusted_proxies(const char *v, char **why);
int check_socket_mode(const char *v, char **why);
int check_socket_group(const char *v, char **why);

/* The trusted_proxies entry that trusts clients of a unix socket listener. */
#define PROXY_UNIX "unix"

/* Trims ASCII white space at both ends of s in place; returns s. */
char *config_trim(char *s);

#endif
