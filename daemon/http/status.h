/* HTTP status codes: the standard reason phrase of each one the daemon sends. */
#ifndef ONQUOTA_HTTP_STATUS_H
#define ONQUOTA_HTTP_STATUS_H

/* The RFC 9110 (RFC 6585 for 429 and 431) reason phrase of status, e.g.
 * "Too Many Requests" for 429; a generic phrase of its class for a code
 * outside the table. Static storage; pure. */
const char *http_reason(int status);

#endif
