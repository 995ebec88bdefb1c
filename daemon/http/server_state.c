/* The server's shared state (server_internal.h): defined apart, so that server.c and control.c both
 * build on it. */
#include <stdatomic.h>

#include "http/access.h"
#include "http/server_internal.h"

struct server_state srv;

const struct config *server_config(void)
{
    return atomic_load(&srv.live);
}

void server_flush_access_log(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    access_log_flush(false);
}
