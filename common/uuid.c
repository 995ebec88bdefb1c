/* UUID text validation: canonical 8-4-4-4-12 hex only, normalised to lower case. */
#include "uuid.h"

#include <ctype.h>
#include <stddef.h>

bool uuid_parse(const char *s, char *out)
{
    if (!s)
        return false;
    for (size_t i = 0; i < UUID_STR_LEN; i++) {
        unsigned char c = (unsigned char)s[i];
        bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_pos ? c != '-' : !isxdigit(c))
            return false;
    }
    if (s[UUID_STR_LEN] != '\0')
        return false;
    if (out) {
        for (size_t i = 0; i < UUID_STR_LEN; i++)
            out[i] = (char)tolower((unsigned char)s[i]);
        out[UUID_STR_LEN] = '\0';
    }
    return true;
}
