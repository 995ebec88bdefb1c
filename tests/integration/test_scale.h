/* The scale suite's shared fixtures and its test-case groups, one file each. */
#ifndef ONQUOTA_TEST_SCALE_H
#define ONQUOTA_TEST_SCALE_H

#include <check.h>

/* An admin's API token on the suite's scratch database (valid for the run),
 * and the "Authorization: Bearer ..." header line for it (static). */
const char *scale_token(void);
const char *scale_bearer(void);

/* The test-case groups of the other files, each added to s. */
void scale_add_lb(Suite *s);       /* two daemons behind nginx */
void scale_add_replica(Suite *s);  /* a streaming standby as the read replica */
void scale_add_sentinel(Suite *s); /* Redis primary, replica and Sentinel */

#endif
