/* What the quotes suite's files share: the tokens, the fixture's ids and the flow tests. */
#ifndef ONQUOTA_TEST_QUOTES_H
#define ONQUOTA_TEST_QUOTES_H

#include "res_cases.h"

#define QUOTES "/api/v1/sales/quotes"

/* The fixture's Acme client, which every test quote uses; no demo client
 * name contains "zyxw". */
#define QUOTES_CLIENT "c1000000-0000-4000-8000-000000000001"
#define QUOTES_CLIENT_NAME "Zyxw Testing S.A."

/* API tokens per role (test_quotes.c's setup) and the Acme users' ids. */
extern char *tokens[NWHO];
extern char rep1_id[40], rep2_id[40], admin_id[40];

/* Adds the success-path tests of test_quotes_flows.c to tc. */
void quotes_flow_tests(TCase *tc);

#endif
