/* Unit tests of the INI reader (common/ini.c): comments, quotes, sections, errors with lines. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check_main.h"
#include "ini.h"
#include "xalloc.h"

/* Writes each item as "LINE:[SECTION]" or "LINE:SECTION.KEY=<VALUE>", space-separated. */
static int record(const struct ini_item *it, void *arg, char **msg)
{
    (void)msg;
    struct buf *out = arg;
    if (out->len)
        buf_addc(out, ' ');
    if (!it->key)
        buf_printf(out, "%d:[%s]", it->line, it->section);
    else
        buf_printf(out, "%d:%s.%s=<%s>", it->line, it->section, it->key, it->value);
    return 0;
}

static const struct {
    const char *name, *text, *want;
} good[] = {
    {"empty text", "", ""},
    {"plain key", "a = 1\n", "1:.a=<1>"},
    {"spaces, tabs and CRLF trimmed", " \t key\t=  two words \t\r\n", "1:.key=<two words>"},
    {"no final newline", "a=1\nb=2", "1:.a=<1> 2:.b=<2>"},
    {"empty value", "a =\nb = \"\"\n", "1:.a=<> 2:.b=<>"},
    {"comment lines and blanks", "# one\n; two\n\n   # three\nk = v\n", "5:.k=<v>"},
    {"sections", "top = 1\n[ main ]\nx = 2\n[profile work]\ny = 3\n",
     "1:.top=<1> 2:[main] 3:main.x=<2> 4:[profile work] 5:profile work.y=<3>"},
    {"inline comments", "a = 80 ; web\nb = yes # on\nc = x\t;\td\n",
     "1:.a=<80> 2:.b=<yes> 3:.c=<x>"},
    {"a value that is only a comment is empty", "a = ; nothing\nb = #\n", "1:.a=<> 2:.b=<>"},
    {"'#' and ';' inside a word are kept", "a = #ff0000\nb = pa#ss;wd\nc = x #y\n",
     "1:.a=<#ff0000> 2:.b=<pa#ss;wd> 3:.c=<x #y>"},
    {"colours with '#' after spaces are kept", "s = #000000 on #56b4e9, bold\n",
     "1:.s=<#000000 on #56b4e9, bold>"},
    {"quotes are removed", "a = \"quoted value\"\nb = 'single'\n",
     "1:.a=<quoted value> 2:.b=<single>"},
    {"quotes protect comment characters", "p = 'a ; b # c' # note\nq = \" x \";\n",
     "1:.p=<a ; b # c> 2:.q=< x >"},
    {"unmatched or inner quotes are kept", "a = \"open\nb = it's\nc = \"a\" \"b\"\n",
     "1:.a=<\"open> 2:.b=<it's> 3:.c=<\"a\" \"b\">"},
    {"'=' in a value", "url = postgres://u:p=x@h/db\n", "1:.url=<postgres://u:p=x@h/db>"},
    {"header with a comment", "[colors] ; the roles\n", "1:[colors]"},
};

START_TEST(test_good)
{
    struct buf out = BUF_INIT;
    char *err = NULL;
    buf_adds(&out, ""); /* an empty result is still a string */
    int rc = ini_parse(good[_i].text, strlen(good[_i].text), "t.ini", record, &out, &err);
    ck_assert_msg(rc == 0, "%s: expected success, got '%s'", good[_i].name, err);
    ck_assert_msg(!strcmp(buf_str(&out), good[_i].want), "%s: expected\n  %s\ngot\n  %s",
                  good[_i].name, good[_i].want, buf_str(&out));
    buf_free(&out);
}
END_TEST

static const struct {
    const char *name, *text, *want;
} bad[] = {
    {"no '='", "a = 1\njust words\n", "t.ini:2: expected 'key = value'"},
    {"empty key", "\n\n = 3\n", "t.ini:3: expected 'key = value'"},
    {"unclosed header", "[main\n", "t.ini:1: malformed section header"},
    {"text after a header", "[main] x\n", "t.ini:1: malformed section header"},
    {"empty section name", "[ ]\n", "t.ini:1: empty section name"},
};

START_TEST(test_bad)
{
    struct buf out = BUF_INIT;
    char *err = NULL;
    int rc = ini_parse(bad[_i].text, strlen(bad[_i].text), "t.ini", record, &out, &err);
    ck_assert_msg(rc == -1, "%s: expected an error", bad[_i].name);
    ck_assert_msg(err && !strcmp(err, bad[_i].want), "%s: expected\n  %s\ngot\n  %s", bad[_i].name,
                  bad[_i].want, err);
    free(err);
    buf_free(&out);
}
END_TEST

START_TEST(test_nul_byte)
{
    static const char text[] = "a = 1\nb = x\0y\n";
    struct buf out = BUF_INIT;
    char *err = NULL;
    ck_assert_int_eq(ini_parse(text, sizeof text - 1, "t.ini", record, &out, &err), -1);
    ck_assert_str_eq(err, "t.ini:2: contains a NUL byte");
    free(err);
    buf_free(&out);
}
END_TEST

/* The callback refuses the second key: the reader stops there and names the line. */
static int refuse_b(const struct ini_item *it, void *arg, char **msg)
{
    int *calls = arg;
    ++*calls;
    if (it->key && !strcmp(it->key, "b")) {
        *msg = xasprintf("unknown key '%s'", it->key);
        return -1;
    }
    return 0;
}

START_TEST(test_callback_error)
{
    static const char text[] = "# x\na = 1\nb = 2\nc = 3\n";
    int calls = 0;
    char *err = NULL;
    ck_assert_int_eq(ini_parse(text, strlen(text), "/etc/x.conf", refuse_b, &calls, &err), -1);
    ck_assert_str_eq(err, "/etc/x.conf:3: unknown key 'b'");
    ck_assert_msg(calls == 2, "expected the reader to stop at the refusal, %d calls", calls);
    free(err);
}
END_TEST

static FILE *file_with(const char *text, size_t len)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    rewind(f);
    return f;
}

START_TEST(test_file)
{
    static const char text[] = "[s]\nk = 'v' ; c\n";
    FILE *f = file_with(text, strlen(text));
    struct buf out = BUF_INIT;
    char *err = NULL;
    ck_assert_int_eq(ini_parse_file(f, "f.ini", record, &out, &err), 0);
    ck_assert_str_eq(buf_str(&out), "1:[s] 2:s.k=<v>");
    fclose(f);
    buf_free(&out);

    /* Lines far longer than any buffer a line reader would use. */
    size_t n = 100000;
    char *big = xmalloc(n + 8);
    memcpy(big, "k = ", 4);
    memset(big + 4, 'x', n);
    memcpy(big + 4 + n, "\n", 2);
    f = file_with(big, n + 5);
    int len = 0;
    ck_assert_int_eq(ini_parse_file(f, "f.ini", refuse_b, &len, &err), 0);
    fclose(f);
    free(big);
}
END_TEST

START_TEST(test_file_too_large)
{
    size_t n = INI_MAX_BYTES + 1;
    char *big = xmalloc(n);
    memset(big, '\n', n);
    FILE *f = file_with(big, n);
    int calls = 0;
    char *err = NULL;
    ck_assert_int_eq(ini_parse_file(f, "huge.ini", refuse_b, &calls, &err), -1);
    ck_assert_msg(err && strstr(err, "huge.ini: larger than"), "got '%s'", err);
    free(err);
    fclose(f);

    /* Exactly the limit is fine. */
    f = file_with(big, n - 1);
    ck_assert_int_eq(ini_parse_file(f, "max.ini", refuse_b, &calls, &err), 0);
    fclose(f);
    free(big);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ini");
    TCase *tc = tcase_create("ini");
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_callback_error);
    tcase_add_test(tc, test_file);
    tcase_add_test(tc, test_file_too_large);
    suite_add_tcase(s, tc);
    return check_main(s);
}
