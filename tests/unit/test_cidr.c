/* Unit tests of common/cidr.c: addresses, ranges and lists for trusted proxies. */
#include <check.h>
#include <string.h>
#include <sys/socket.h>

#include "check_main.h"
#include "cidr.h"

static bool in_list(const char *list, const char *ip)
{
    struct ip_addr a;
    ck_assert_msg(ip_parse(ip, strlen(ip), &a), "expected %s to parse", ip);
    return cidr_list_contains(list, &a);
}

START_TEST(test_ip_parse)
{
    struct ip_addr a;
    ck_assert(ip_parse(" 203.0.113.7 ", 13, &a) && a.family == AF_INET);
    ck_assert(ip_parse("2001:db8::1", 11, &a) && a.family == AF_INET6);
    ck_assert(ip_parse("::ffff:10.1.2.3", 15, &a) && a.family == AF_INET);
    ck_assert_int_eq(a.bytes[0], 10);
    ck_assert(!ip_parse("", 0, &a));
    ck_assert(!ip_parse("unknown", 7, &a));
    ck_assert(!ip_parse("10.0.0.1:80", 11, &a));
    ck_assert(!ip_parse("203.0.113.7", 5, &a)); /* only the first len bytes count */
}
END_TEST

START_TEST(test_ranges)
{
    ck_assert(in_list("10.0.0.0/8", "10.200.3.4"));
    ck_assert(!in_list("10.0.0.0/8", "11.0.0.1"));
    ck_assert(in_list("192.168.1.7", "192.168.1.7"));
    ck_assert(!in_list("192.168.1.7", "192.168.1.8"));
    ck_assert(in_list("172.16.0.0/12", "172.31.255.255"));
    ck_assert(!in_list("172.16.0.0/12", "172.32.0.0"));
    ck_assert(in_list("0.0.0.0/0", "8.8.8.8"));
    ck_assert(!in_list("0.0.0.0/0", "::1"));
    ck_assert(in_list("fd00::/8", "fd12:3456::1"));
    ck_assert(!in_list("fd00::/8", "fe80::1"));
    ck_assert(in_list("10.0.0.1, ::1", "::1"));
    ck_assert(in_list("127.0.0.1", "::ffff:127.0.0.1"));
    ck_assert(!in_list("", "127.0.0.1"));
    ck_assert(!in_list("garbage, 10.0.0.0/33", "10.0.0.1"));
}
END_TEST

START_TEST(test_list_check)
{
    ck_assert_ptr_null(cidr_list_check(""));
    ck_assert_ptr_null(cidr_list_check("10.0.0.0/8, 192.168.0.1,fd00::/8"));
    const char *list = "10.0.0.0/8, 300.1.1.1";
    ck_assert_ptr_eq(cidr_list_check(list), list + 11);
    ck_assert_ptr_nonnull(cidr_list_check("10.0.0.0/"));
    ck_assert_ptr_nonnull(cidr_list_check("10.0.0.0/-1"));
    ck_assert_ptr_null(cidr_list_check("1.2.3.4,")); /* empty entries are ignored */
}
END_TEST

int main(void)
{
    Suite *su = suite_create("cidr");
    TCase *tc = tcase_create("cidr");
    tcase_add_test(tc, test_ip_parse);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_list_check);
    suite_add_tcase(su, tc);
    return check_main(su);
}
