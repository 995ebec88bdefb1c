/* Opening the listening socket: host:port, [v6]:port or unix:/path. */
#ifndef ONQUOTA_LISTEN_H
#define ONQUOTA_LISTEN_H

#include <stdbool.h>
#include <sys/types.h>

/* sizeof sun_path of struct sockaddr_un */
#define LISTEN_PATH_MAX 108

/* How a unix socket file is made. */
struct listen_opts {
    int unix_mode;          /* permission bits, e.g. 0660 */
    const char *unix_group; /* group name or number, or NULL/"" to keep the default */
};

/* An open listening socket; for unix:, the file this process bound. */
struct listener {
    int fd; /* -1 when closed */
    bool is_unix;
    char path[LISTEN_PATH_MAX];
    dev_t dev; /* the socket file's identity, so that only ours is removed */
    ino_t ino;
};

/* Binds and listens on spec (non-blocking, close-on-exec, SO_REUSEADDR)
 * into *l. For unix:/path, refuses a path on which a running process
 * answers, replaces a stale socket file (nothing answers), and gives the new
 * file o's mode and group. Returns the fd, or -1 with a malloc'd *err. */
int listen_open(struct listener *l, const char *spec, const struct listen_opts *o, char **err);

/* Closes l and removes its unix socket file, unless that path now holds
 * another file. A no-op when closed. */
void listen_close(struct listener *l);

#endif
