/* Unit tests of daemon/store/fleet.c: the fleet id and the one Redis key builder. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "runtime/config.h"
#include "store/fleet.h"

/* The first call fixes the fleet for the process: one fixture for all. */
static const char *fleet;

static void setup_fleet(void)
{
    static char url[] = "postgresql://u@127.0.0.1:5432/onquota_prod";
    struct config cfg = {.database_url = url};
    fleet = fleet_id(&cfg);
}

START_TEST(fleet_id_is_fixed_by_the_first_call)
{
    ck_assert_uint_eq(strlen(fleet), FLEET_ID_LEN);
    static char url[] = "postgresql://u@127.0.0.1:5432/another";
    struct config other = {.database_url = url};
    ck_assert_msg(!strcmp(fleet_id(&other), fleet), "expected the fleet fixed at the first call");
    ck_assert_msg(strcmp(fleet, "default"), "expected a hash of the database name");
}
END_TEST

START_TEST(keys_are_fleet_scoped)
{
    char key[FLEET_KEY_MAX], want[FLEET_KEY_MAX];
    ck_assert(fleet_key(key, sizeof key, "gen", "{%s}", "t-1"));
    snprintf(want, sizeof want, "onquota:%s:gen:{t-1}", fleet);
    ck_assert_str_eq(key, want);
    /* An empty rest names the kind alone (a pub/sub channel). */
    ck_assert(fleet_key(key, sizeof key, "events", "%s", ""));
    snprintf(want, sizeof want, "onquota:%s:events", fleet);
    ck_assert_str_eq(key, want);
}
END_TEST

START_TEST(a_key_that_does_not_fit_is_refused)
{
    char small[24];
    ck_assert_msg(!fleet_key(small, sizeof small, "dashboard", "%s", "kpis"),
                  "expected false for a key longer than the buffer");
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
}
END_TEST

int main(void)
{
    setup_fleet();
    Suite *s = suite_create("fleet");
    TCase *tc = tcase_create("keys");
    tcase_add_test(tc, fleet_id_is_fixed_by_the_first_call);
    tcase_add_test(tc, keys_are_fleet_scoped);
    tcase_add_test(tc, a_key_that_does_not_fit_is_refused);
    suite_add_tcase(s, tc);
    return check_main(s);
}
