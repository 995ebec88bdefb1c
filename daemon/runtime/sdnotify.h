/* systemd notification protocol (READY, STOPPING, WATCHDOG) without libsystemd. */
#ifndef ONQUOTA_SDNOTIFY_H
#define ONQUOTA_SDNOTIFY_H

#include <stdint.h>

/* Sends state (e.g. "READY=1") to $NOTIFY_SOCKET if set (path or abstract
 * "@name"). Returns 1 if sent, 0 when not under systemd, -1 on error. */
int sd_notify_send(const char *state);

/* The watchdog interval in microseconds from $WATCHDOG_USEC (honouring
 * $WATCHDOG_PID), or 0 when systemd did not ask for a watchdog. */
uint64_t sd_watchdog_usec(void);

#endif
