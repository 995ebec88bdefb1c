/* Unit tests of common/: money, UUIDs, URLs, tokens, passwords, time, buffers and logging. */
#include <check.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check_main.h"
#include "log.h"
#include "money.h"
#include "password.h"
#include "timeutil.h"
#include "token.h"
#include "url.h"
#include "uuid.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define S(p) ((p) ? (p) : "(null)")

static bool str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* ---- money ------------------------------------------------------------- */

static const struct {
    const char *in, *want; /* want NULL: must be refused */
} numeric_cases[] = {
    {"1500", "1500.00"},
    {"0", "0.00"},
    {"-0.5", "-0.50"},
    {"12.3", "12.30"},
    {"+7.25", "7.25"},
    {"007.10", "7.10"},
    {"123456789012345.67", "123456789012345.67"},
    {"123456789012345.678", "123456789012345.68"},
    {"-123456789012345.674", "-123456789012345.67"},
    {"999999999999999.995", "1000000000000000.00"},
    {"-999999999999999.995", "-1000000000000000.00"},
    {"0.005", "0.01"},
    {"-0.005", "-0.01"},
    {"2.675", "2.68"},
    {"-2.675", "-2.68"},
    {"1.0049999999", "1.00"},
    {"0.995", "1.00"},
    {"9.995", "10.00"},
    {"-0.004", "0.00"},
    {"-0.001", "0.00"},
    {"-0", "0.00"},
    {"-0.00", "0.00"},
    {"33.3333333333333333", "33.33"},
    {"", NULL},
    {"-", NULL},
    {"+", NULL},
    {".5", NULL},
    {"5.", NULL},
    {"1.2.3", NULL},
    {"1e5", NULL},
    {" 1", NULL},
    {"1 ", NULL},
    {"--1", NULL},
    {"NaN", NULL},
    {"Infinity", NULL},
    {"-Infinity", NULL},
    {"12abc", NULL},
    {"0x10", NULL},
};

START_TEST(test_money_from_numeric)
{
    char out[MONEY_TEXT_MAX];
    const char *in = numeric_cases[_i].in, *want = numeric_cases[_i].want;
    bool ok = money_from_numeric(in, out, sizeof out);

    if (!want) {
        ck_assert_msg(!ok, "money_from_numeric(\"%s\"): expected refusal, got \"%s\"", in, out);
        return;
    }
    ck_assert_msg(ok, "money_from_numeric(\"%s\"): expected \"%s\", got refusal", in, want);
    ck_assert_msg(strcmp(out, want) == 0, "money_from_numeric(\"%s\"): expected \"%s\", got \"%s\"",
                  in, want, out);
}
END_TEST

START_TEST(test_money_from_numeric_small_buffer)
{
    char out[8];
    ck_assert_msg(money_from_numeric("1234.5", out, sizeof out) && strcmp(out, "1234.50") == 0,
                  "\"1234.50\" fits 8 bytes exactly");
    ck_assert_msg(!money_from_numeric("99999.995", out, sizeof out),
                  "\"100000.00\" needs 10 bytes: expected refusal with 8");
    ck_assert_msg(!money_from_numeric(NULL, out, sizeof out), "NULL: expected refusal");
}
END_TEST

static const struct {
    double v;
    int64_t max;
    bool ok;
    int64_t cents;
} cents_cases[] = {
    {19.99, 999999999999, true, 1999},
    {0.1 + 0.2, 999999999999, true, 30},
    {1500, 999999999999, true, 150000},
    {-12.34, 999999999999, true, -1234},
    {0, 999999999999, true, 0},
    {9999999999.99, 999999999999, true, 999999999999},
    {-9999999999.99, 999999999999, true, -999999999999},
    {10000000000.00, 999999999999, false, 0},
    {1.005, 999999999999, false, 0},
    {1.001, 999999999999, false, 0},
    {0.125, 999999999999, false, 0},
    {1e300, INT64_MAX, false, 0},
    {1e17, INT64_MAX, false, 0},
    {5.00, 100, false, 0},
    {1.00, 100, true, 100},
};

START_TEST(test_money_cents_from_double)
{
    int64_t c = -7;
    bool ok = money_cents_from_double(cents_cases[_i].v, cents_cases[_i].max, &c);
    ck_assert_msg(ok == cents_cases[_i].ok,
                  "money_cents_from_double(%.17g, max %" PRId64 "): expected %s", cents_cases[_i].v,
                  cents_cases[_i].max, cents_cases[_i].ok ? "success" : "refusal");
    if (ok)
        ck_assert_msg(c == cents_cases[_i].cents,
                      "money_cents_from_double(%.17g): expected %" PRId64 " cents, got %" PRId64,
                      cents_cases[_i].v, cents_cases[_i].cents, c);
}
END_TEST

START_TEST(test_money_cents_nonfinite)
{
    int64_t c;
    ck_assert_msg(!money_cents_from_double(NAN, 999, &c), "NaN: expected refusal");
    ck_assert_msg(!money_cents_from_double(INFINITY, 999, &c), "Infinity: expected refusal");
    ck_assert_msg(!money_cents_from_double(-INFINITY, 999, &c), "-Infinity: expected refusal");
}
END_TEST

START_TEST(test_money_format_cents)
{
    static const struct {
        int64_t c;
        const char *want;
    } cases[] = {{0, "0.00"},
                 {5, "0.05"},
                 {-5, "-0.05"},
                 {1234, "12.34"},
                 {-123456, "-1234.56"},
                 {100, "1.00"},
                 {INT64_MIN, "-92233720368547758.08"}};
    char out[24];
    for (int i = 0; i < N(cases); i++) {
        money_format_cents(cases[i].c, out, sizeof out);
        ck_assert_msg(strcmp(out, cases[i].want) == 0,
                      "money_format_cents(%" PRId64 "): expected \"%s\", got \"%s\"", cases[i].c,
                      cases[i].want, out);
    }
}
END_TEST

/* ---- uuid -------------------------------------------------------------- */

static const struct {
    const char *in, *want;
} uuid_cases[] = {
    {"123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000"},
    {"123E4567-E89B-12D3-A456-426614174ABC", "123e4567-e89b-12d3-a456-426614174abc"},
    {"123e4567e89b12d3a456426614174000", NULL},
    {"{123e4567-e89b-12d3-a456-426614174000}", NULL},
    {"123e4567-e89b-12d3-a456-42661417400", NULL},
    {"123e4567-e89b-12d3-a456-4266141740000", NULL},
    {"123e4567-e89b-12d3-a456_426614174000", NULL},
    {"g23e4567-e89b-12d3-a456-426614174000", NULL},
    {"123e4567-e89b-12d3-a456-426614174000 ", NULL},
    {"", NULL},
};

START_TEST(test_uuid_parse)
{
    char out[UUID_STR_LEN + 1] = "";
    bool ok = uuid_parse(uuid_cases[_i].in, out);
    const char *want = uuid_cases[_i].want;
    ck_assert_msg(ok == (want != NULL), "uuid_parse(\"%s\"): expected %s", uuid_cases[_i].in,
                  want ? "success" : "refusal");
    if (want)
        ck_assert_msg(strcmp(out, want) == 0, "uuid_parse(\"%s\"): expected \"%s\", got \"%s\"",
                      uuid_cases[_i].in, want, out);
    ck_assert_msg(uuid_parse(uuid_cases[_i].in, NULL) == ok, "uuid_parse with out NULL agrees");
}
END_TEST

/* ---- URLs -------------------------------------------------------------- */

static const struct {
    const char *in, *want, *err; /* want NULL: err must be a substring of the error */
} pg_cases[] = {
    {"postgresql://u:p@db:5432/onquota", "postgresql://u:p@db:5432/onquota", NULL},
    {"postgres://u@db/onquota", "postgresql://u@db/onquota", NULL},
    {"postgresql+asyncpg://u:p%40ss@db:5432/onquota", "postgresql://u:p%40ss@db:5432/onquota",
     NULL},
    {"postgresql+asyncpg://u:p@db/x?ssl=require", "postgresql://u:p@db/x?sslmode=require", NULL},
    {"postgresql://u:p@db/x?ssl=true&application_name=oq",
     "postgresql://u:p@db/x?sslmode=require&application_name=oq", NULL},
    {"postgresql://[::1]:5432/x", "postgresql://[::1]:5432/x", NULL},
    {"postgresql:///onquota?host=/run/postgresql", "postgresql:///onquota?host=/run/postgresql",
     NULL},
    {"host=db dbname=onquota user=u password=p", "host=db dbname=onquota user=u password=p", NULL},
    {"mysql://u:p@db/x", NULL, "unsupported scheme 'mysql'"},
    {"postgresql:///onquota", NULL, "no host"},
    {"postgresql://u:p@/onquota", NULL, "no host"},
    {"postgresql://db/x?ssl=maybe", NULL, "ssl value 'maybe'"},
    {"", NULL, "empty"},
    {"just words", NULL, "neither"},
};

START_TEST(test_url_pg_conninfo)
{
    char *err = NULL;
    char *got = url_pg_conninfo(pg_cases[_i].in, &err);
    const char *in = pg_cases[_i].in, *want = pg_cases[_i].want;

    if (want) {
        ck_assert_msg(got && strcmp(got, want) == 0,
                      "url_pg_conninfo(\"%s\"): expected \"%s\", got \"%s\" (err \"%s\")", in, want,
                      S(got), S(err));
    } else {
        ck_assert_msg(!got, "url_pg_conninfo(\"%s\"): expected an error, got \"%s\"", in, S(got));
        ck_assert_msg(err && strstr(err, pg_cases[_i].err),
                      "url_pg_conninfo(\"%s\"): expected an error mentioning \"%s\", got \"%s\"",
                      in, pg_cases[_i].err, S(err));
        ck_assert_msg(!strstr(err, "p@db"), "the error must not echo the URL");
    }
    free(got);
    free(err);
}
END_TEST

static const struct {
    const char *in;
    const char *host, *path, *user, *pass;
    int port, db;
    const char *err; /* non-NULL: must fail with this substring */
} redis_cases[] = {
    {"redis://127.0.0.1:6379/0", "127.0.0.1", NULL, NULL, NULL, 6379, 0, NULL},
    {"redis://cache", "cache", NULL, NULL, NULL, 6379, 0, NULL},
    {"redis://cache:6380/", "cache", NULL, NULL, NULL, 6380, 0, NULL},
    {"redis://:s3cret@cache", "cache", NULL, NULL, "s3cret", 6379, 0, NULL},
    {"redis://app:p%40ss%3Aw@cache:7000/2", "cache", NULL, "app", "p@ss:w", 7000, 2, NULL},
    {"redis://app@cache/1", "cache", NULL, "app", NULL, 6379, 1, NULL},
    {"redis://cache/3?db=5", "cache", NULL, NULL, NULL, 6379, 5, NULL},
    {"redis://cache/20", "cache", NULL, NULL, NULL, 6379, 20, NULL},
    {"redis://[::1]:6390/4", "::1", NULL, NULL, NULL, 6390, 4, NULL},
    {"REDIS://cache?password=x%26y", "cache", NULL, NULL, "x&y", 6379, 0, NULL},
    {"unix:///run/redis/redis.sock", NULL, "/run/redis/redis.sock", NULL, NULL, 0, 0, NULL},
    {"unix:///path/to.sock?db=3&password=x", NULL, "/path/to.sock", NULL, "x", 0, 3, NULL},
    {"redis+unix:///tmp/r.sock?db=1", NULL, "/tmp/r.sock", NULL, NULL, 0, 1, NULL},
    {"unix://:pw@/tmp/r.sock", NULL, "/tmp/r.sock", NULL, "pw", 0, 0, NULL},
    {"rediss://cache", NULL, NULL, NULL, NULL, 0, 0, "rediss"},
    {"http://cache", NULL, NULL, NULL, NULL, 0, 0, "unsupported scheme 'http'"},
    {"cache:6379", NULL, NULL, NULL, NULL, 0, 0, "must look like"},
    {"", NULL, NULL, NULL, NULL, 0, 0, "must look like"},
    {"redis://cache:0", NULL, NULL, NULL, NULL, 0, 0, "1 to 65535"},
    {"redis://cache:65536", NULL, NULL, NULL, NULL, 0, 0, "1 to 65535"},
    {"redis://cache:http", NULL, NULL, NULL, NULL, 0, 0, "1 to 65535"},
    {"redis://cache/-1", NULL, NULL, NULL, NULL, 0, 0, "non-negative"},
    {"redis://cache/x", NULL, NULL, NULL, NULL, 0, 0, "non-negative"},
    {"redis://cache?db=a", NULL, NULL, NULL, NULL, 0, 0, "'db' has a bad value"},
    {"redis://cache?timeout=1", NULL, NULL, NULL, NULL, 0, 0, "unknown parameter 'timeout'"},
    {"redis://:6379/0", NULL, NULL, NULL, NULL, 0, 0, "no host"},
    {"redis://:p%zz@cache", NULL, NULL, NULL, NULL, 0, 0, "percent escape"},
    {"redis://[::1/0", NULL, NULL, NULL, NULL, 0, 0, "IPv6"},
    {"unix://", NULL, NULL, NULL, NULL, 0, 0, "no socket path"},
    {"unix://relative.sock", NULL, NULL, NULL, NULL, 0, 0, "takes no host"},
};

START_TEST(test_url_redis_parse)
{
    struct redis_target t;
    char *err = NULL;
    const char *in = redis_cases[_i].in;
    int rc = url_redis_parse(in, &t, &err);

    if (redis_cases[_i].err) {
        ck_assert_msg(rc == -1, "url_redis_parse(\"%s\"): expected an error", in);
        ck_assert_msg(err && strstr(err, redis_cases[_i].err),
                      "url_redis_parse(\"%s\"): expected an error mentioning \"%s\", got \"%s\"",
                      in, redis_cases[_i].err, S(err));
        free(err);
        return;
    }
    ck_assert_msg(rc == 0, "url_redis_parse(\"%s\"): expected success, got \"%s\"", in, S(err));
    ck_assert_msg(str_eq(t.host, redis_cases[_i].host), "\"%s\": expected host %s, got %s", in,
                  S(redis_cases[_i].host), S(t.host));
    ck_assert_msg(str_eq(t.unix_path, redis_cases[_i].path), "\"%s\": expected path %s, got %s", in,
                  S(redis_cases[_i].path), S(t.unix_path));
    ck_assert_msg(str_eq(t.username, redis_cases[_i].user), "\"%s\": expected user %s, got %s", in,
                  S(redis_cases[_i].user), S(t.username));
    ck_assert_msg(str_eq(t.password, redis_cases[_i].pass), "\"%s\": expected password %s, got %s",
                  in, S(redis_cases[_i].pass), S(t.password));
    ck_assert_msg(t.port == redis_cases[_i].port, "\"%s\": expected port %d, got %d", in,
                  redis_cases[_i].port, t.port);
    ck_assert_msg(t.db == redis_cases[_i].db, "\"%s\": expected db %d, got %d", in,
                  redis_cases[_i].db, t.db);
    redis_target_free(&t);
}
END_TEST

/* redis+sentinel:// URLs: the primary's name, the Sentinels (up to three
 * here, "host:port" each), the database and the data nodes' password. */
static const struct {
    const char *in, *master;
    int n;
    const char *sentinels[3];
    int db;
    const char *pass, *err;
} sentinel_cases[] = {
    {"redis+sentinel://s1:26380/mymaster", "mymaster", 1, {"s1:26380"}, 0, NULL, NULL},
    {"redis+sentinel://s1/mymaster/2", "mymaster", 1, {"s1:26379"}, 2, NULL, NULL},
    {"redis+sentinel://:pw@10.0.0.1:5000,10.0.0.2,[::1]:5002/cache/1",
     "cache",
     3,
     {"10.0.0.1:5000", "10.0.0.2:26379", "::1:5002"},
     1,
     "pw",
     NULL},
    {"REDIS+SENTINEL://a,b/m%2F1?db=4", "m/1", 2, {"a:26379", "b:26379"}, 4, NULL, NULL},
    {"redis+sentinel://s1:26379", NULL, 0, {NULL}, 0, NULL, "names no primary"},
    {"redis+sentinel://s1:26379/", NULL, 0, {NULL}, 0, NULL, "names no primary"},
    {"redis+sentinel://s1:26379/m/x", NULL, 0, {NULL}, 0, NULL, "non-negative"},
    {"redis+sentinel://s1:0/m", NULL, 0, {NULL}, 0, NULL, "1 to 65535"},
    {"redis+sentinel://s1,,s2/m", NULL, 0, {NULL}, 0, NULL, "no host"},
    {"redis+sentinel:///m", NULL, 0, {NULL}, 0, NULL, "no host"},
    {"redis+sentinel://a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a/m",
     NULL,
     0,
     {NULL},
     0,
     NULL,
     "more than 16 Sentinels"},
};

START_TEST(test_url_redis_sentinel)
{
    struct redis_target t;
    char *err = NULL;
    const char *in = sentinel_cases[_i].in;
    int rc = url_redis_parse(in, &t, &err);

    if (sentinel_cases[_i].err) {
        ck_assert_msg(rc == -1, "url_redis_parse(\"%s\"): expected an error", in);
        ck_assert_msg(err && strstr(err, sentinel_cases[_i].err),
                      "url_redis_parse(\"%s\"): expected an error mentioning \"%s\", got \"%s\"",
                      in, sentinel_cases[_i].err, S(err));
        free(err);
        return;
    }
    ck_assert_msg(rc == 0, "url_redis_parse(\"%s\"): expected success, got \"%s\"", in, S(err));
    ck_assert_msg(str_eq(t.sentinel_master, sentinel_cases[_i].master),
                  "\"%s\": expected primary %s, got %s", in, sentinel_cases[_i].master,
                  S(t.sentinel_master));
    ck_assert_msg(!t.host && t.port == 0, "\"%s\": expected no host of its own", in);
    ck_assert_msg(t.nsentinels == sentinel_cases[_i].n, "\"%s\": expected %d Sentinels, got %d", in,
                  sentinel_cases[_i].n, t.nsentinels);
    for (int i = 0; i < t.nsentinels; i++) {
        char got[300];
        snprintf(got, sizeof got, "%s:%d", t.sentinels[i].host, t.sentinels[i].port);
        ck_assert_msg(!strcmp(got, sentinel_cases[_i].sentinels[i]),
                      "\"%s\": expected Sentinel %d at %s, got %s", in, i,
                      sentinel_cases[_i].sentinels[i], got);
    }
    ck_assert_msg(t.db == sentinel_cases[_i].db, "\"%s\": expected db %d, got %d", in,
                  sentinel_cases[_i].db, t.db);
    ck_assert_msg(str_eq(t.password, sentinel_cases[_i].pass),
                  "\"%s\": expected password %s, got %s", in, S(sentinel_cases[_i].pass),
                  S(t.password));
    redis_target_free(&t);
}
END_TEST

static const struct {
    const char *in, *want;
} mask_cases[] = {
    {"postgresql://u:secret@db:5432/x", "postgresql://u:***@db:5432/x"},
    {"postgresql+asyncpg://u:s%40c@db/x", "postgresql+asyncpg://u:***@db/x"},
    {"postgresql://u@db/x", "postgresql://u@db/x"},
    {"redis://:pw@cache:6379/0", "redis://:***@cache:6379/0"},
    {"redis://cache/0?db=1&password=pw&x=1", "redis://cache/0?db=1&password=***&x=1"},
    {"unix:///tmp/r.sock?password=pw", "unix:///tmp/r.sock?password=***"},
    {"postgresql://u:a/b@db/x", "postgresql://u:***@db/x"},
    {"host=db password=secret user=u", "host=db password=*** user=u"},
    {"host=db password = 'se cr\\'et' user=u", "host=db password = *** user=u"},
    {"password=secret", "password=***"},
    {"host=db sslpassword=k", "host=db sslpassword=***"},
    {"host=db mypass=k", "host=db mypass=k"},
    {"redis://cache:6379/0", "redis://cache:6379/0"},
};

START_TEST(test_url_mask_secret)
{
    char *got = url_mask_secret(mask_cases[_i].in);
    ck_assert_msg(strcmp(got, mask_cases[_i].want) == 0,
                  "url_mask_secret(\"%s\"): expected \"%s\", got \"%s\"", mask_cases[_i].in,
                  mask_cases[_i].want, got);
    free(got);
}
END_TEST

/* ---- tokens ------------------------------------------------------------ */

START_TEST(test_token_shape_and_uniqueness)
{
    enum { COUNT = 64 };
    char toks[COUNT][TOKEN_LEN + 1];

    for (int i = 0; i < COUNT; i++) {
        ck_assert_msg(token_generate(toks[i]) == 0, "token_generate: expected 0");
        ck_assert_msg(strlen(toks[i]) == TOKEN_LEN, "token: expected %d characters, got %zu",
                      TOKEN_LEN, strlen(toks[i]));
        ck_assert_msg(strncmp(toks[i], "oq_", 3) == 0, "token: expected prefix oq_, got %s",
                      toks[i]);
        ck_assert_msg(token_wellformed(toks[i]), "token_wellformed(\"%s\"): expected true",
                      toks[i]);
        for (int j = 0; j < i; j++)
            ck_assert_msg(strcmp(toks[i], toks[j]) != 0, "two tokens are equal: %s", toks[i]);
    }
}
END_TEST

START_TEST(test_token_wellformed)
{
    static const struct {
        const char *s;
        bool ok;
    } cases[] = {
        {"oq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
        {"oq_abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE", true},
        {"oq_abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEF", false}, /* 44 characters */
        {"oq_abcdefghijklmnopqrstuvwxyz0123456789-_ABCD", false},   /* 42 characters */
        {"xx_abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE", false},
        {"oq_abcdefghijklmnopqrstuvwxyz0123456789+/ABCDE", false},
        {"oq_abcdefghijklmnopqrstuvwxyz0123456789-_ABCD=", false},
        {"", false},
        {NULL, false},
    };
    for (int i = 0; i < N(cases); i++)
        ck_assert_msg(token_wellformed(cases[i].s) == cases[i].ok,
                      "token_wellformed(\"%s\"): expected %s", S(cases[i].s),
                      cases[i].ok ? "true" : "false");
}
END_TEST

START_TEST(test_sha256_known_vectors)
{
    unsigned char md[TOKEN_HASH_LEN];
    char hex[65];

    sha256_hex("abc", 3, hex);
    ck_assert_msg(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ==
                      0,
                  "sha256(\"abc\"): expected ba7816bf..., got %s", hex);
    sha256_hex("", 0, hex);
    ck_assert_msg(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") ==
                      0,
                  "sha256(\"\"): expected e3b0c442..., got %s", hex);
    token_sha256("abc", md);
    hex_encode(md, sizeof md, hex);
    ck_assert_msg(strncmp(hex, "ba7816bf", 8) == 0, "token_sha256(\"abc\"): expected ba7816bf...");
}
END_TEST

START_TEST(test_base64url_known_vectors)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"", 0, ""},
        {"f", 1, "Zg"},
        {"fo", 2, "Zm8"},
        {"foo", 3, "Zm9v"},
        {"foob", 4, "Zm9vYg"},
        {"fooba", 5, "Zm9vYmE"},
        {"foobar", 6, "Zm9vYmFy"},
        {"\xfb\xff\xfe", 3, "-__-"},
    };
    char out[16];
    for (int i = 0; i < N(cases); i++) {
        size_t n = base64url_encode((const unsigned char *)cases[i].in, cases[i].n, out);
        ck_assert_msg(strcmp(out, cases[i].want) == 0 && n == strlen(cases[i].want),
                      "base64url(\"%s\"): expected \"%s\", got \"%s\" (%zu)", cases[i].in,
                      cases[i].want, out, n);
    }
    unsigned char bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    hex_encode(bytes, sizeof bytes, out);
    ck_assert_msg(strcmp(out, "000fa0ff") == 0, "hex_encode: expected 000fa0ff, got %s", out);
}
END_TEST

/* ---- passwords --------------------------------------------------------- */

START_TEST(test_password_yescrypt_round_trip)
{
    char *err = NULL;
    char *h = password_hash("correct horse", &err);

    ck_assert_msg(h != NULL, "password_hash: expected a hash, got error %s", S(err));
    ck_assert_msg(strncmp(h, "$y$", 3) == 0, "password_hash: expected a $y$ hash, got %s", h);
    ck_assert_msg(password_verify("correct horse", h), "the right password must verify");
    ck_assert_msg(!password_verify("correct horsE", h), "a wrong password must not verify");
    ck_assert_msg(!password_verify("", h), "an empty password must not verify");
    char *h2 = password_hash("correct horse", &err);
    ck_assert_msg(h2 && strcmp(h, h2) != 0, "two hashes of one password need different salts");
    free(h);
    free(h2);
}
END_TEST

START_TEST(test_password_sha512crypt)
{
    /* openssl passwd -6 -salt saltsalt secret */
    const char *h = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQ"
                    "SpT0Y77vwPZN.Pq.H91p5hVO1";
    ck_assert_msg(password_verify("secret", h), "a $6$ SHA-512-crypt hash must verify");
    ck_assert_msg(!password_verify("Secret", h), "a wrong password must not verify against $6$");
}
END_TEST

START_TEST(test_password_bad_stored)
{
    static const char *const bad[] = {"", "*", "*0", "!", "$y$", "not a hash", "$6$saltsalt$"};
    for (int i = 0; i < N(bad); i++)
        ck_assert_msg(!password_verify("secret", bad[i]), "stored \"%s\": expected false", bad[i]);
    ck_assert_msg(!password_verify("secret", NULL), "stored NULL: expected false");
    ck_assert_msg(!password_verify(NULL, "$6$x$y"), "password NULL: expected false");
}
END_TEST

START_TEST(test_password_dummy_hash)
{
    const char *d = password_dummy_hash();
    ck_assert_msg(d && strncmp(d, "$y$", 3) == 0, "the dummy hash must be yescrypt, got %s", S(d));
    static const char *const tries[] = {"", "secret", "demo", "password", "admin"};
    for (int i = 0; i < N(tries); i++)
        ck_assert_msg(!password_verify(tries[i], d), "the dummy hash verified \"%s\"", tries[i]);
}
END_TEST

/* ---- dates and times --------------------------------------------------- */

static const struct {
    const char *s;
    bool ok;
    int y, m, d;
} date_cases[] = {
    {"2026-03-15", true, 2026, 3, 15},  {"2024-02-29", true, 2024, 2, 29},
    {"2000-02-29", true, 2000, 2, 29},  {"0001-01-01", true, 1, 1, 1},
    {"2026-12-31", true, 2026, 12, 31}, {"2026-02-29", false, 0, 0, 0},
    {"1900-02-29", false, 0, 0, 0},     {"2026-04-31", false, 0, 0, 0},
    {"2026-13-01", false, 0, 0, 0},     {"2026-00-10", false, 0, 0, 0},
    {"2026-01-00", false, 0, 0, 0},     {"0000-01-01", false, 0, 0, 0},
    {"2026-3-15", false, 0, 0, 0},      {"26-03-15", false, 0, 0, 0},
    {"2026-03-15x", false, 0, 0, 0},    {"2026-03-15 ", false, 0, 0, 0},
    {"2026/03/15", false, 0, 0, 0},     {"20260315", false, 0, 0, 0},
    {"+026-03-15", false, 0, 0, 0},     {"", false, 0, 0, 0},
};

START_TEST(test_date_parse)
{
    int y = 0, m = 0, d = 0;
    bool ok = date_parse(date_cases[_i].s, &y, &m, &d);
    ck_assert_msg(ok == date_cases[_i].ok, "date_parse(\"%s\"): expected %s", date_cases[_i].s,
                  date_cases[_i].ok ? "valid" : "invalid");
    if (ok)
        ck_assert_msg(y == date_cases[_i].y && m == date_cases[_i].m && d == date_cases[_i].d,
                      "date_parse(\"%s\"): expected %d-%d-%d, got %d-%d-%d", date_cases[_i].s,
                      date_cases[_i].y, date_cases[_i].m, date_cases[_i].d, y, m, d);
}
END_TEST

START_TEST(test_days_in_month)
{
    ck_assert_int_eq(days_in_month(2024, 2), 29);
    ck_assert_int_eq(days_in_month(2026, 2), 28);
    ck_assert_int_eq(days_in_month(2100, 2), 28);
    ck_assert_int_eq(days_in_month(2000, 2), 29);
    ck_assert_int_eq(days_in_month(2026, 4), 30);
    ck_assert_int_eq(days_in_month(2026, 12), 31);
    ck_assert_int_eq(days_in_month(2026, 13), 0);
}
END_TEST

static const struct {
    const char *s;
    bool ok;
    int64_t usec;
} rfc_cases[] = {
    {"1970-01-01T00:00:00Z", true, 0},
    {"2026-03-15T23:59:59Z", true, 1773619199000000LL},
    {"2026-03-15T23:59:59.5Z", true, 1773619199500000LL},
    {"2026-03-15T23:59:59.123456789Z", true, 1773619199123456LL},
    {"2026-03-16T01:29:59+01:30", true, 1773619199000000LL},
    {"2026-03-15T20:59:59-03:00", true, 1773619199000000LL},
    {"2026-03-15t23:59:59z", true, 1773619199000000LL},
    {"1969-12-31T23:59:59.999Z", true, -1000LL},
    {"2024-02-29T12:00:00Z", true, 1709208000000000LL},
    {"2026-03-15T23:59:59", false, 0},
    {"2026-03-15T23:59:59.Z", false, 0},
    {"2026-03-15T24:00:00Z", false, 0},
    {"2026-03-15T23:60:00Z", false, 0},
    {"2026-02-29T00:00:00Z", false, 0},
    {"2026-03-15T23:59:59+0100", false, 0},
    {"2026-03-15T23:59:59Zjunk", false, 0},
    {"2026-03-15", false, 0},
};

START_TEST(test_time_parse_rfc3339)
{
    int64_t us = 42;
    bool ok = time_parse_rfc3339(rfc_cases[_i].s, &us);
    ck_assert_msg(ok == rfc_cases[_i].ok, "time_parse_rfc3339(\"%s\"): expected %s",
                  rfc_cases[_i].s, rfc_cases[_i].ok ? "valid" : "invalid");
    if (ok)
        ck_assert_msg(us == rfc_cases[_i].usec,
                      "time_parse_rfc3339(\"%s\"): expected %" PRId64 " us, got %" PRId64,
                      rfc_cases[_i].s, rfc_cases[_i].usec, us);
}
END_TEST

START_TEST(test_rfc3339_round_trip)
{
    static const struct timespec times[] = {
        {0, 0}, {1773619199, 0}, {1773619199, 123456789}, {951782400, 999999999}};
    char out[RFC3339_MAX];
    int64_t us;

    time_rfc3339(&times[1], false, out);
    ck_assert_msg(strcmp(out, "2026-03-15T23:59:59Z") == 0, "expected 2026-03-15T23:59:59Z, got %s",
                  out);
    time_rfc3339(&times[2], true, out);
    ck_assert_msg(strcmp(out, "2026-03-15T23:59:59.123Z") == 0,
                  "expected 2026-03-15T23:59:59.123Z, got %s", out);
    for (int i = 0; i < N(times); i++) {
        time_rfc3339(&times[i], true, out);
        ck_assert_msg(time_parse_rfc3339(out, &us), "%s must parse back", out);
        int64_t want = (int64_t)times[i].tv_sec * 1000000 + times[i].tv_nsec / 1000000 * 1000;
        ck_assert_msg(us == want, "%s: expected %" PRId64 " us, got %" PRId64, out, want, us);
    }
}
END_TEST

static const struct {
    const char *pg, *want;
} pgts_cases[] = {
    {"2026-03-15 23:59:59.123456+00", "2026-03-15T23:59:59.123456Z"},
    {"2026-03-15 23:59:59+00", "2026-03-15T23:59:59Z"},
    {"2026-03-15 23:59:59.5+00:00", "2026-03-15T23:59:59.5Z"},
    {"2024-02-29 00:00:00+00", "2024-02-29T00:00:00Z"},
    {"2026-03-15 23:59:59+01", NULL},
    {"2026-03-15 23:59:59-00:30", NULL},
    {"2026-03-15 23:59:59", NULL},
    {"2026-03-15T23:59:59+00", NULL},
    {"2026-03-15 23:59:59.+00", NULL},
    {"2026-03-15 23:59:59.1234567+00", NULL},
    {"2026-02-30 00:00:00+00", NULL},
    {"infinity", NULL},
    {"2026-03-15 23:59:59+00 junk", NULL},
};

START_TEST(test_time_pg_to_rfc3339)
{
    char out[RFC3339_MAX] = "";
    bool ok = time_pg_to_rfc3339(pgts_cases[_i].pg, out);
    const char *want = pgts_cases[_i].want;
    ck_assert_msg(ok == (want != NULL), "time_pg_to_rfc3339(\"%s\"): expected %s",
                  pgts_cases[_i].pg, want ? want : "refusal");
    if (want)
        ck_assert_msg(strcmp(out, want) == 0,
                      "time_pg_to_rfc3339(\"%s\"): expected \"%s\", got \"%s\"", pgts_cases[_i].pg,
                      want, out);
}
END_TEST

START_TEST(test_time_mono)
{
    int64_t a = time_mono_us();
    double b = time_mono();
    int64_t c = time_mono_us();
    ck_assert_msg(a > 0 && c >= a, "time_mono_us must not go back (%" PRId64 ", %" PRId64 ")", a,
                  c);
    ck_assert_msg(b * 1e6 >= (double)a - 1 && b * 1e6 <= (double)c + 1,
                  "time_mono and time_mono_us must use the same clock");
}
END_TEST

/* ---- buffers and allocation -------------------------------------------- */

START_TEST(test_buf_operations)
{
    struct buf b = BUF_INIT;

    ck_assert_msg(strcmp(buf_str(&b), "") == 0 && b.len == 0, "a new buffer reads as \"\"");
    buf_adds(&b, "abc");
    buf_addc(&b, '-');
    buf_printf(&b, "%d/%s", 42, "x");
    buf_add(&b, "\0z", 2);
    ck_assert_msg(b.len == 10 && memcmp(b.data, "abc-42/x\0z", 10) == 0 && b.data[10] == '\0',
                  "expected \"abc-42/x\\0z\" (10 bytes), got %zu bytes", b.len);
    buf_reset(&b);
    ck_assert_msg(b.len == 0 && strcmp(buf_str(&b), "") == 0 && b.cap > 0,
                  "buf_reset empties but keeps memory");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d", i);
    ck_assert_msg(b.len == 4000 && strncmp(b.data + 3996, "0999", 4) == 0,
                  "4000 bytes after 1000 appends, got %zu", b.len);
    char big[600];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_reset(&b);
    buf_printf(&b, "<%s>", big);
    ck_assert_msg(b.len == 601 && b.data[600] == '>', "a long printf is not truncated");
    char *s = buf_take(&b);
    ck_assert_msg(s[0] == '<' && b.data == NULL && b.len == 0, "buf_take leaves b empty");
    free(s);
    s = buf_take(&b);
    ck_assert_msg(s != NULL && s[0] == '\0', "buf_take of an empty buffer returns \"\"");
    free(s);
    buf_adds(&b, "x");
    buf_free(&b);
    ck_assert_msg(b.data == NULL && b.len == 0 && b.cap == 0, "buf_free leaves b empty");
}
END_TEST

START_TEST(test_xalloc)
{
    char *s = xasprintf("%s-%d", "a", 7);
    ck_assert_str_eq(s, "a-7");
    free(s);
    s = xstrndup("abcdef", 3);
    ck_assert_str_eq(s, "abc");
    free(s);
    s = xstrndup("ab", 10);
    ck_assert_str_eq(s, "ab");
    free(s);
    int *z = xcalloc(4, sizeof *z);
    ck_assert_msg(z[0] == 0 && z[3] == 0, "xcalloc zeroes");
    z = xrealloc(z, 100 * sizeof *z);
    free(z);
}
END_TEST

/* ---- logging ----------------------------------------------------------- */

/* Runs fn with fd 2 redirected to a pipe and returns what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
    int fds[2], saved = dup(2);
    char tmp[4096];

    ck_assert_msg(pipe(fds) == 0 && saved >= 0, "pipe/dup");
    dup2(fds[1], 2);
    close(fds[1]);
    fn();
    dup2(saved, 2);
    close(saved);
    ssize_t n = read(fds[0], tmp, sizeof tmp - 1);
    close(fds[0]);
    tmp[n > 0 ? n : 0] = '\0';
    return xstrdup(tmp);
}

static void emit_json(void)
{
    log_setup(LOG_FORMAT_JSON, LOG_INFO);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "method", "GET");
    cJSON_AddNumberToObject(o, "status", 200);
    cJSON_AddStringToObject(o, "password", "hunter2");
    log_event(LOG_INFO, o);
    log_event(LOG_DEBUG, cJSON_CreateObject());
    log_msg(LOG_WARN, "disk %d%% full", 93);
}

static void emit_text(void)
{
    log_setup(LOG_FORMAT_TEXT, LOG_DEBUG);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "route", "/api/v1/quotes");
    cJSON_AddStringToObject(o, "msg", "two words");
    cJSON_AddNumberToObject(o, "status", 201);
    log_event(LOG_DEBUG, o);
}

START_TEST(test_log_json)
{
    char *out = capture_stderr(emit_json);
    char *nl = strchr(out, '\n');
    ck_assert_msg(nl, "expected a complete line, got \"%s\"", out);
    ck_assert_msg(strncmp(out, "{\"ts\":\"", 7) == 0, "the line starts with ts: %s", out);
    ck_assert_msg(strstr(out, "Z\",\"level\":\"info\",\"method\":\"GET\",\"status\":200,"),
                  "ts, level, then the fields in order: %s", out);
    ck_assert_msg(!strstr(out, "hunter2") && strstr(out, "\"password\":\"***\""),
                  "a password value is masked: %s", out);
    ck_assert_msg(strstr(nl + 1, "\"level\":\"warn\",\"msg\":\"disk 93% full\"}\n"),
                  "log_msg writes {ts, level, msg}: %s", nl + 1);
    ck_assert_msg(!strstr(out, "debug"), "a debug event below the minimum is dropped: %s", out);
    free(out);
}
END_TEST

START_TEST(test_log_text)
{
    char *out = capture_stderr(emit_text);
    ck_assert_msg(strstr(out, " debug route=/api/v1/quotes msg=\"two words\" status=201\n"),
                  "text format is `ts level key=value`: %s", out);
    ck_assert_msg(out[4] == '-' && out[10] == 'T', "text starts with the timestamp: %s", out);
    free(out);
}
END_TEST

START_TEST(test_log_parse)
{
    enum log_level l;
    enum log_format f;
    ck_assert_msg(log_level_parse("debug", &l) && l == LOG_DEBUG, "debug");
    ck_assert_msg(log_level_parse("WARN", &l) && l == LOG_WARN, "WARN");
    ck_assert_msg(log_level_parse("error", &l) && l == LOG_ERROR, "error");
    ck_assert_msg(!log_level_parse("loud", &l), "loud is not a level");
    ck_assert_msg(log_format_parse("text", &f) && f == LOG_FORMAT_TEXT, "text");
    ck_assert_msg(log_format_parse("json", &f) && f == LOG_FORMAT_JSON, "json");
    ck_assert_msg(!log_format_parse("xml", &f), "xml is not a format");
}
END_TEST

/* ---- suite ------------------------------------------------------------- */

static Suite *common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc;

    tc = tcase_create("money");
    tcase_add_loop_test(tc, test_money_from_numeric, 0, N(numeric_cases));
    tcase_add_test(tc, test_money_from_numeric_small_buffer);
    tcase_add_loop_test(tc, test_money_cents_from_double, 0, N(cents_cases));
    tcase_add_test(tc, test_money_cents_nonfinite);
    tcase_add_test(tc, test_money_format_cents);
    suite_add_tcase(s, tc);

    tc = tcase_create("uuid");
    tcase_add_loop_test(tc, test_uuid_parse, 0, N(uuid_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("url");
    tcase_add_loop_test(tc, test_url_pg_conninfo, 0, N(pg_cases));
    tcase_add_loop_test(tc, test_url_redis_parse, 0, N(redis_cases));
    tcase_add_loop_test(tc, test_url_redis_sentinel, 0, N(sentinel_cases));
    tcase_add_loop_test(tc, test_url_mask_secret, 0, N(mask_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("token");
    tcase_add_test(tc, test_token_shape_and_uniqueness);
    tcase_add_test(tc, test_token_wellformed);
    tcase_add_test(tc, test_sha256_known_vectors);
    tcase_add_test(tc, test_base64url_known_vectors);
    suite_add_tcase(s, tc);

    tc = tcase_create("password");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_password_yescrypt_round_trip);
    tcase_add_test(tc, test_password_sha512crypt);
    tcase_add_test(tc, test_password_bad_stored);
    tcase_add_test(tc, test_password_dummy_hash);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_loop_test(tc, test_date_parse, 0, N(date_cases));
    tcase_add_test(tc, test_days_in_month);
    tcase_add_loop_test(tc, test_time_parse_rfc3339, 0, N(rfc_cases));
    tcase_add_test(tc, test_rfc3339_round_trip);
    tcase_add_loop_test(tc, test_time_pg_to_rfc3339, 0, N(pgts_cases));
    tcase_add_test(tc, test_time_mono);
    suite_add_tcase(s, tc);

    tc = tcase_create("buf");
    tcase_add_test(tc, test_buf_operations);
    tcase_add_test(tc, test_xalloc);
    suite_add_tcase(s, tc);

    tc = tcase_create("log");
    tcase_add_test(tc, test_log_json);
    tcase_add_test(tc, test_log_text);
    tcase_add_test(tc, test_log_parse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_main(common_suite());
}
