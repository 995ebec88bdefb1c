/* The systemd notify protocol: datagrams to $NOTIFY_SOCKET, and the $WATCHDOG_USEC interval. */
#include "runtime/sdnotify.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Notification socket                                                       */
/* ------------------------------------------------------------------------ */

/* Fills sa from a $NOTIFY_SOCKET value: "/path" names a file socket, "@name"
 * an abstract one (a leading NUL and no terminating NUL). Other forms (such as
 * systemd's "vsock:") are not supported. Returns the address length, or 0. */
static socklen_t notify_address(const char *path, struct sockaddr_un *sa)
{
    size_t len = strlen(path);

    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (len >= sizeof sa->sun_path || (path[0] != '/' && path[0] != '@') || len < 2)
        return 0;
    memcpy(sa->sun_path, path, len);
    if (path[0] == '@') {
        sa->sun_path[0] = '\0';
        return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    }
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
}

int sd_notify_send(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    socklen_t salen;
    size_t len;
    ssize_t sent;
    int fd, saved;

    if (!path || !*path)
        return 0;
    if (!state || !*state) {
        errno = EINVAL;
        return -1;
    }
    salen = notify_address(path, &sa);
    if (!salen) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    len = strlen(state);
    do
        sent = sendto(fd, state, len, MSG_NOSIGNAL, (const struct sockaddr *)&sa, salen);
    while (sent < 0 && errno == EINTR);
    saved = errno;
    close(fd);
    if (sent < 0 || (size_t)sent != len) {
        errno = sent < 0 ? saved : EMSGSIZE;
        return -1;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Watchdog                                                                  */
/* ------------------------------------------------------------------------ */

/* Parses a whole decimal string with no sign, spaces or trailing text. */
static bool parse_u64(const char *s, unsigned long long *out)
{
    char *end;

    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0';
}

uint64_t sd_watchdog_usec(void)
{
    const char *pid_s = getenv("WATCHDOG_PID");
    unsigned long long usec, pid;

    if (!parse_u64(getenv("WATCHDOG_USEC"), &usec) || usec == 0)
        return 0;
    /* WATCHDOG_PID names the process systemd watches; a child that inherited
     * the environment must not take over the watchdog. */
    if (pid_s && (!parse_u64(pid_s, &pid) || pid != (unsigned long long)getpid()))
        return 0;
    return (uint64_t)usec;
}
