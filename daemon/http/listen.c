/* Opening the listening socket: host:port, [v6]:port or unix:/path. */
#include "http/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
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

static int open_unix(const struct addr *a, char **err)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = xasprintf("listen: socket: %s", strerror(errno));
        return -1;
    }
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", a->path);
    struct stat st;
    if (lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(a->path); /* a stale socket from an earlier run */
    if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 || listen(fd, 1024) != 0) {
        *err = xasprintf("listen: unix:%s: %s", a->path, strerror(errno));
        close(fd);
        return -1;
    }
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

int listen_open(const char *spec, char **err)
{
    struct addr a;
    if (parse(spec, &a, err) != 0)
        return -1;
    return a.is_unix ? open_unix(&a, err) : open_inet(&a, err);
}

void listen_close(int fd, const char *spec)
{
    close(fd);
    struct addr a;
    char *err = NULL;
    if (parse(spec, &a, &err) == 0 && a.is_unix)
        unlink(a.path);
    free(err);
}
