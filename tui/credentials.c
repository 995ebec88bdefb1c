/* The login credentials file: read, written atomically with mode 0600, removed; token files. */
#include "credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "ini.h"
#include "options.h"
#include "xalloc.h"

char *credentials_path(void)
{
    char *dir = options_config_dir();
    char *p = xasprintf("%s/credentials", dir);
    free(dir);
    return p;
}

void credentials_free(struct credentials *c)
{
    free(c->url);
    free(c->email);
    if (c->token)
        explicit_bzero(c->token, strlen(c->token));
    free(c->token);
    c->url = c->email = c->token = NULL;
}

/* Trims spaces and line ends on both sides, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* The reader's callback: url, email and token; other keys and sections are ignored. */
static int credentials_item(const struct ini_item *it, void *arg, char **msg)
{
    (void)msg;
    struct credentials *c = arg;
    if (!it->key)
        return 0;
    char **dst = !strcmp(it->key, "url")     ? &c->url
                 : !strcmp(it->key, "email") ? &c->email
                 : !strcmp(it->key, "token") ? &c->token
                                             : NULL;
    if (dst) {
        if (*dst)
            explicit_bzero(*dst, strlen(*dst));
        free(*dst);
        *dst = *it->value ? xstrdup(it->value) : NULL;
    }
    return 0;
}

int credentials_read(struct credentials *c, char **err)
{
    memset(c, 0, sizeof *c);
    char *path = credentials_path();
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        if (e == ENOENT) {
            free(path);
            return 1;
        }
        *err = xasprintf("cannot read %s: %s", path, strerror(e));
        free(path);
        return -1;
    }
    int rc = ini_parse_file(f, path, credentials_item, c, err);
    if (rc != 0)
        credentials_free(c);
    fclose(f);
    free(path);
    return rc;
}

int credentials_write(const struct credentials *c, char **err)
{
    char *dir = options_config_dir();
    /* mkdir -p with 0700 for what we create. */
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
    char *path = xasprintf("%s/credentials", dir);
    char *tmp = xasprintf("%s/.credentials.%ld", dir, (long)getpid());
    free(dir);
    int rc = -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *err = xasprintf("cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    fchmod(fd, 0600);
    struct buf b = BUF_INIT;
    buf_adds(&b, "# onquota login credentials; keep private (mode 0600)\n");
    if (c->url)
        buf_printf(&b, "url = %s\n", c->url);
    if (c->email)
        buf_printf(&b, "email = %s\n", c->email);
    if (c->token)
        buf_printf(&b, "token = %s\n", c->token);
    ssize_t w = write(fd, b.data, b.len);
    bool ok = w == (ssize_t)b.len && fsync(fd) == 0;
    explicit_bzero(b.data, b.len);
    buf_free(&b);
    if (close(fd) != 0 || !ok) {
        *err = xasprintf("cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        *err = xasprintf("cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(path);
    return rc;
}

int credentials_remove(char **err)
{
    char *path = credentials_path();
    int rc = 0;
    if (unlink(path) != 0 && errno != ENOENT) {
        *err = xasprintf("cannot remove %s: %s", path, strerror(errno));
        rc = -1;
    }
    free(path);
    return rc;
}

char *credentials_read_token_file(const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xasprintf("cannot read token file %s: %s", path, strerror(errno));
        return NULL;
    }
    char line[1024] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    int e = errno;
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        *err = xasprintf("cannot read token file %s: %s", path, strerror(e));
        return NULL;
    }
    char *t = trim(line);
    if (!got || !*t) {
        *err = xasprintf("token file %s is empty", path);
        return NULL;
    }
    char *tok = xstrdup(t);
    explicit_bzero(line, sizeof line);
    return tok;
}
