/* Opening the listening socket: host:port, [v6]:port or unix:/path. */
#include "http/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xalloc.h"

struct addr {
    bool is_unix;
    char host[256];
    char port[8];
    char path[LISTEN_PATH_MAX];
};

static int parse(const char *spec, struct addr *a, char **err)
{
    memset(a, 0, sizeof *a);
    if (!strncmp(spec, "unix:", 5)) {
        const char *p = spec + 5;
        if (*p != '/' || strlen(p) >= sizeof a->path) {
            *err = xasprintf("listen: unix socket path must be absolute and under %zu bytes",
                             sizeof a->path);
            return -1;
        }
        a->is_unix = true;
        snprintf(a->path, sizeof a->path, "%s", p);
        return 0;
    }
    const char *colon = strrchr(spec, ':');
    const char *host = spec;
    size_t hlen = colon ? (size_t)(colon - spec) : 0;
    if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']')
        host++, hlen -= 2;
    if (!colon || hlen == 0 || hlen >= sizeof a->host) {
        *err = xasprintf("listen: expected host:port, [v6]:port or unix:/path (got '%s')", spec);
        return -1;
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || colon[1] == '\0' || port < 1 || port > 65535) {
        *err = xasprintf("listen: port must be 1-65535 (got '%s')", colon + 1);
        return -1;
    }
    memcpy(a->host, host, hlen);
    snprintf(a->port, sizeof a->port, "%ld", port);
    return 0;
}

/* Whether a server accepts connections on the unix socket at path. */
static bool unix_live(const struct sockaddr_un *sun)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool live = connect(fd, (const struct sockaddr *)sun, sizeof *sun) == 0 ||
                (errno != ECONNREFUSED && errno != ENOENT);
    close(fd);
    return live;
}

/* The group of name (a group name or a number); -1 with *err if none. */
static gid_t group_id(const char *name, char **err)
{
    char *end;
    unsigned long n = strtoul(name, &end, 10);
    if (*name && !*end)
        return (gid_t)n;
    struct group gr, *found = NULL;
    char buf[4096];
    if (getgrnam_r(name, &gr, buf, sizeof buf, &found) != 0 || !found) {
        *err = xasprintf("listen_socket_group: no group '%s'", name);
        return (gid_t)-1;
    }
    return found->gr_gid;
}

static int open_unix(struct listener *l, const struct addr *a, const struct listen_opts *o,
                     char **err)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", a->path);
    struct stat st;
    if (lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        /* Never take the socket of a running daemon: only a stale one,
         * left by a process that died, is replaced. */
        if (unix_live(&sun)) {
            *err = xasprintf("listen: unix:%s: address already in use (a running process "
                             "answers on it)",
                             a->path);
            return -1;
        }
        unlink(a->path);
    }
    gid_t gid = o->unix_group && *o->unix_group ? group_id(o->unix_group, err) : (gid_t)-1;
    if (o->unix_group && *o->unix_group && gid == (gid_t)-1)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = xasprintf("listen: socket: %s", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
        *err = xasprintf("listen: unix:%s: %s", a->path, strerror(errno));
        close(fd);
        return -1;
    }
    const char *step = NULL;
    if (chmod(a->path, (mode_t)o->unix_mode) != 0)
        step = "chmod";
    else if (gid != (gid_t)-1 && chown(a->path, (uid_t)-1, gid) != 0)
        step = "chown";
    else if (lstat(a->path, &st) != 0)
        step = "stat";
    else if (listen(fd, 1024) != 0)
        step = "listen";
    if (step) {
        *err = xasprintf("listen: unix:%s: %s: %s", a->path, step, strerror(errno));
        close(fd);
        unlink(a->path);
        return -1;
    }
    l->is_unix = true;
    snprintf(l->path, sizeof l->path, "%s", a->path);
    l->dev = st.st_dev;
    l->ino = st.st_ino;
    return fd;
}

static int open_inet(const struct addr *a, char **err)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
    int gai = getaddrinfo(a->host, a->port, &hints, &res);
    if (gai != 0) {
        *err = xasprintf("listen: %s: %s", a->host, gai_strerror(gai));
        return -1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            last = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
            last = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        *err = xasprintf("listen: %s:%s: %s", a->host, a->port, strerror(last));
    return fd;
}

int listen_open(struct listener *l, const char *spec, const struct listen_opts *o, char **err)
{
    struct addr a;
    memset(l, 0, sizeof *l);
    l->fd = -1;
    if (parse(spec, &a, err) != 0)
        return -1;
    l->fd = a.is_unix ? open_unix(l, &a, o, err) : open_inet(&a, err);
    return l->fd;
}

void listen_close(struct listener *l)
{
    if (l->fd < 0)
        return;
    close(l->fd);
    l->fd = -1;
    /* Only the file this process bound: never a socket another one made. */
    struct stat st;
    if (l->is_unix && lstat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
        unlink(l->path);
}
