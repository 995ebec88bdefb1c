/* HTTP status codes: the standard reason phrase of each one the daemon sends. */
#include "http/status.h"

#include <stddef.h>

static const struct {
    int status;
    const char *reason;
} reasons[] = {
    {.status = 100, .reason = "Continue"},
    {.status = 200, .reason = "OK"},
    {.status = 201, .reason = "Created"},
    {.status = 202, .reason = "Accepted"},
    {.status = 204, .reason = "No Content"},
    {.status = 304, .reason = "Not Modified"},
    {.status = 400, .reason = "Bad Request"},
    {.status = 401, .reason = "Unauthorized"},
    {.status = 403, .reason = "Forbidden"},
    {.status = 404, .reason = "Not Found"},
    {.status = 405, .reason = "Method Not Allowed"},
    {.status = 406, .reason = "Not Acceptable"},
    {.status = 408, .reason = "Request Timeout"},
    {.status = 409, .reason = "Conflict"},
    {.status = 410, .reason = "Gone"},
    {.status = 411, .reason = "Length Required"},
    {.status = 412, .reason = "Precondition Failed"},
    {.status = 413, .reason = "Content Too Large"},
    {.status = 414, .reason = "URI Too Long"},
    {.status = 415, .reason = "Unsupported Media Type"},
    {.status = 417, .reason = "Expectation Failed"},
    {.status = 422, .reason = "Unprocessable Content"},
    {.status = 428, .reason = "Precondition Required"},
    {.status = 429, .reason = "Too Many Requests"},
    {.status = 431, .reason = "Request Header Fields Too Large"},
    {.status = 500, .reason = "Internal Server Error"},
    {.status = 501, .reason = "Not Implemented"},
    {.status = 502, .reason = "Bad Gateway"},
    {.status = 503, .reason = "Service Unavailable"},
    {.status = 504, .reason = "Gateway Timeout"},
    {.status = 505, .reason = "HTTP Version Not Supported"},
};

static const char *const class_reasons[] = {
    [1] = "Informational", [2] = "Success",      [3] = "Redirection",
    [4] = "Client Error",  [5] = "Server Error",
};

const char *http_reason(int status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status)
            return reasons[i].reason;
    int cls = status / 100;
    return cls >= 1 && cls <= 5 ? class_reasons[cls] : "Unknown";
}
