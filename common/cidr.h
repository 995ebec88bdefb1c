/* IP addresses and CIDR ranges: parsing and membership, for trusted proxies. */
#ifndef ONQUOTA_CIDR_H
#define ONQUOTA_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#define CIDR_ADDR_LEN 16 /* bytes of an IPv6 address; IPv4 uses the first 4 */

struct ip_addr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char bytes[CIDR_ADDR_LEN];
};

struct cidr {
    struct ip_addr net;
    int prefix; /* 0-32 or 0-128 */
};

/* Parses the IPv4 or IPv6 address s[0..len) (surrounding blanks allowed;
 * an IPv4-mapped IPv6 address becomes IPv4). Returns false when it is none. */
bool ip_parse(const char *s, size_t len, struct ip_addr *out);

/* Parses "ADDRESS" or "ADDRESS/PREFIX" in s[0..len) (blanks allowed). A
 * bare address is a single host. Returns false when it is not one. */
bool cidr_parse(const char *s, size_t len, struct cidr *out);

/* True when ip lies inside c. Pure. */
bool cidr_contains(const struct cidr *c, const struct ip_addr *ip);

/* True when ip lies inside one of the comma-separated CIDRs of list;
 * entries that do not parse match nothing. Pure. */
bool cidr_list_contains(const char *list, const struct ip_addr *ip);

/* Checks a comma-separated CIDR list; returns NULL when every entry parses,
 * else a pointer to the first bad one inside list. "" is a valid, empty list. */
const char *cidr_list_check(const char *list);

#endif
