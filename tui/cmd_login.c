/* `onquota login` (no-echo or stdin password; token kept mode 0600) and `onquota logout`. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "credentials.h"
#include "model.h"
#include "xalloc.h"

struct answer {
    long status;
    char *body;
    char *err;
};

static void on_answer(void *ud, const struct net_result *r)
{
    struct answer *a = ud;
    a->status = r->status;
    a->body = xstrdup(r->body);
    a->err = xstrdup(r->err);
}

static void answer_free(struct answer *a)
{
    if (a->body)
        explicit_bzero(a->body, strlen(a->body));
    free(a->body);
    free(a->err);
}

/* Reads one line from fd into buf (without the newline); false on EOF with nothing read. */
static bool read_line(int fd, char *buf, size_t n)
{
    size_t len = 0;
    bool any = false;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        any = true;
        if (c == '\n')
            break;
        if (c != '\r' && len + 1 < n)
            buf[len++] = c;
    }
    buf[len] = '\0';
    return any;
}

/* Asks question on the terminal; with echo off for secrets. */
static bool ask(const char *question, bool secret, char *buf, size_t n)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct termios saved, t;
    bool restore = false;
    if (secret && tcgetattr(fd, &saved) == 0) {
        t = saved;
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        t.c_lflag |= ICANON;
        restore = tcsetattr(fd, TCSAFLUSH, &t) == 0;
    }
    ssize_t w = write(fd, question, strlen(question));
    (void)w;
    bool ok = read_line(fd, buf, n);
    if (restore) {
        tcsetattr(fd, TCSAFLUSH, &saved);
        w = write(fd, "\n", 1);
    }
    close(fd);
    return ok;
}

static struct net *client(struct options *o, const char *token)
{
    net_global_init();
    char *err = NULL;
    struct net_opts no = {.base_url = o->url,
                          .token = token,
                          .lang = o->lang,
                          .cacert = o->cacert,
                          .max_reply_bytes = (size_t)o->max_reply_mib << 20};
    struct net *n = net_new(&no, &err);
    if (!n) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
    }
    return n;
}

int cmd_login(struct options *o)
{
    char email[256] = "", password[512] = "";
    int rc = 1;
    if (o->email)
        snprintf(email, sizeof email, "%s", o->email);
    else if (!ask("Email: ", false, email, sizeof email) || !email[0]) {
        fprintf(stderr, "onquota: no email given (use --email)\n");
        return EXIT_USAGE;
    }
    bool got = o->password_stdin ? read_line(STDIN_FILENO, password, sizeof password)
                                 : ask("Password: ", true, password, sizeof password);
    if (!got || !password[0]) {
        fprintf(stderr, "onquota: no password given%s\n",
                o->password_stdin ? " on standard input" : " (no terminal? use --password-stdin)");
        return EXIT_USAGE;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "email", email);
    cJSON_AddStringToObject(body, "password", password);
    char *json = cJSON_PrintUnformatted(body);
    explicit_bzero(password, sizeof password);
    cJSON_Delete(body);
    struct net *n = client(o, NULL);
    struct answer ans = {0};
    if (n)
        net_fetch_sync(n, "POST", "/api/v1/auth/login", json, on_answer, &ans);
    explicit_bzero(json, strlen(json));
    free(json);
    net_free(n);
    if (!n)
        return 2;

    if (ans.status == 0) {
        fprintf(stderr, "onquota: daemon unreachable at %s: %s\n", o->url, ans.err);
        rc = 2;
    } else if (ans.status != 200) {
        char *words = ans.status == 401 ? xstrdup("wrong email or password")
                                        : data_error_words(ans.status, ans.body, ans.err);
        fprintf(stderr, "onquota: login failed: %s\n", words);
        free(words);
        rc = ans.status == 401 || ans.status == 429 ? EXIT_USAGE : 1;
    } else {
        cJSON *root = cJSON_Parse(ans.body);
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "access_token");
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expires_at");
        struct model_user u;
        char *perr = NULL;
        bool have_user = model_parse_user(ans.body, &u, &perr) == 0;
        free(perr);
        if (!cJSON_IsString(tok)) {
            fprintf(stderr, "onquota: the daemon's answer has no access_token\n");
        } else {
            struct credentials c = {o->url, email, tok->valuestring};
            char *werr = NULL;
            if (credentials_write(&c, &werr) != 0) {
                fprintf(stderr, "onquota: %s\n", werr);
                free(werr);
            } else {
                char *path = credentials_path();
                printf("logged in as %s (%s) at %s; token stored in %s%s%s\n",
                       have_user && u.full_name ? u.full_name : email,
                       have_user && u.role ? u.role : "?", o->url, path,
                       cJSON_IsString(exp) ? ", expires " : "",
                       cJSON_IsString(exp) ? exp->valuestring : "");
                free(path);
                rc = 0;
            }
        }
        if (have_user)
            model_user_free(&u);
        cJSON_Delete(root);
    }
    answer_free(&ans);
    return rc;
}

int cmd_logout(struct options *o)
{
    char *err = NULL;
    if (!o->token) {
        if (credentials_remove(&err) != 0) {
            fprintf(stderr, "onquota: %s\n", err);
            free(err);
            return 1;
        }
        printf("not logged in\n");
        return 0;
    }
    struct net *n = client(o, o->token);
    if (!n)
        return 2;
    struct answer ans = {0};
    net_fetch_sync(n, "POST", "/api/v1/auth/logout", NULL, on_answer, &ans);
    net_free(n);
    int rc = 0;
    if (ans.status == 0) {
        /* Keep the file: the token still works, and logout can be retried. */
        fprintf(stderr, "onquota: daemon unreachable at %s (%s); token kept, try again\n", o->url,
                ans.err);
        rc = 2;
    } else if (ans.status != 204 && ans.status != 200 && ans.status != 401) {
        char *words = data_error_words(ans.status, ans.body, ans.err);
        fprintf(stderr, "onquota: logout failed: %s\n", words);
        free(words);
        rc = 1;
    } else {
        if (credentials_remove(&err) != 0) {
            fprintf(stderr, "onquota: %s\n", err);
            free(err);
            rc = 1;
        } else {
            printf("%s\n", ans.status == 401 ? "the token was already revoked; credentials removed"
                                             : "logged out; token revoked and credentials removed");
        }
    }
    answer_free(&ans);
    return rc;
}
