/* Opening the listening socket: host:port, [v6]:port or unix:/path. */
#ifndef ONQUOTA_LISTEN_H
#define ONQUOTA_LISTEN_H

/* Binds and listens (non-blocking, close-on-exec, SO_REUSEADDR). A stale
 * unix socket file is replaced. Returns the fd, or -1 with a malloc'd *err. */
int listen_open(const char *spec, char **err);

/* Closes fd and removes the socket file of a unix: address. */
void listen_close(int fd, const char *spec);

#endif
