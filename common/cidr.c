/* IP addresses and CIDR ranges: parsing and membership, for trusted proxies. */
#include "cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Longest text of an address or range ("ffff:...:ffff/128" and blanks). */
#define CIDR_TEXT_MAX 64

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* s[0..len) without blanks at both ends, copied into out; false when too long. */
static bool trimmed(const char *s, size_t len, char out[CIDR_TEXT_MAX])
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= CIDR_TEXT_MAX)
        return false;
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

static bool parse_text(const char *text, struct ip_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->bytes) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->bytes) != 1)
        return false;
    out->family = AF_INET6;
    if (!memcmp(out->bytes, v4_mapped, sizeof v4_mapped)) {
        memmove(out->bytes, out->bytes + sizeof v4_mapped, 4);
        memset(out->bytes + 4, 0, CIDR_ADDR_LEN - 4);
        out->family = AF_INET;
    }
    return true;
}

bool ip_parse(const char *s, size_t len, struct ip_addr *out)
{
    char text[CIDR_TEXT_MAX];
    return trimmed(s, len, text) && parse_text(text, out);
}

bool cidr_parse(const char *s, size_t len, struct cidr *out)
{
    char text[CIDR_TEXT_MAX];
    if (!trimmed(s, len, text))
        return false;
    char *slash = strchr(text, '/');
    long prefix = -1;
    if (slash) {
        char *end;
        *slash = '\0';
        if (slash[1] < '0' || slash[1] > '9')
            return false;
        prefix = strtol(slash + 1, &end, 10);
        if (*end)
            return false;
    }
    if (!parse_text(text, &out->net))
        return false;
    int bits = out->net.family == AF_INET ? 32 : 128;
    if (prefix > bits)
        return false;
    out->prefix = prefix < 0 ? bits : (int)prefix;
    return true;
}

bool cidr_contains(const struct cidr *c, const struct ip_addr *ip)
{
    if (c->net.family != ip->family)
        return false;
    int full = c->prefix / 8, rest = c->prefix % 8;
    if (memcmp(c->net.bytes, ip->bytes, (size_t)full) != 0)
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (c->net.bytes[full] & mask) == (ip->bytes[full] & mask);
}

bool cidr_list_contains(const char *list, const struct ip_addr *ip)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, ",");
        struct cidr c;
        if (cidr_parse(p, n, &c) && cidr_contains(&c, ip))
            return true;
        p += n;
        p += *p == ',';
    }
    return false;
}

const char *cidr_list_check(const char *list)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        struct cidr c;
        if (!cidr_parse(p, n, &c))
            return p;
        p += n;
        p += *p == ',';
    }
    return NULL;
}
