/* Password hashing with yescrypt through libcrypt, and constant-time verification of any method. */
#include "password.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "xalloc.h"

/* yescrypt of a random password that was thrown away: nothing verifies. */
static const char dummy_hash[] = "$y$j9T$mI0/x76/N9dfbDCBtziDR1$"
                                 "0D9rMgQ8JxDlYOPxCNvs7jMJGuO1fAdvi.jTC.LHKy2";

/* struct crypt_data is about 32 KiB: too large for a thread's stack. */
static struct crypt_data *crypt_data_new(void)
{
    return xcalloc(1, sizeof(struct crypt_data));
}

static void crypt_data_free(struct crypt_data *cd)
{
    OPENSSL_cleanse(cd, sizeof *cd);
    free(cd);
}

/* crypt_rn reports failure either with NULL or with a string starting '*'. */
static bool crypt_failed(const char *h)
{
    return !h || h[0] == '*' || h[0] == '\0';
}

char *password_hash(const char *pw, char **err)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = NULL;
    char *result = NULL;
    char *msg = NULL;

    if (!pw) {
        msg = xstrdup("no password given");
        goto out;
    }
    /* NULL random bytes: libcrypt draws the salt from the kernel itself. */
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt)) {
        msg = xasprintf("cannot make a yescrypt salt: %s", strerror(errno));
        goto out;
    }
    cd = crypt_data_new();
    const char *h = crypt_rn(pw, salt, cd, (int)sizeof *cd);
    if (crypt_failed(h)) {
        msg = xasprintf("yescrypt hashing failed: %s", strerror(errno));
        goto out;
    }
    result = xstrdup(h);
out:
    if (err)
        *err = msg;
    else
        free(msg);
    if (cd)
        crypt_data_free(cd);
    return result;
}

bool password_verify(const char *pw, const char *stored)
{
    if (!pw || !stored || crypt_failed(stored))
        return false;
    struct crypt_data *cd = crypt_data_new();
    const char *h = crypt_rn(pw, stored, cd, (int)sizeof *cd);
    size_t n = strlen(stored);
    bool ok = !crypt_failed(h) && strlen(h) == n && CRYPTO_memcmp(h, stored, n) == 0;
    crypt_data_free(cd);
    return ok;
}

const char *password_dummy_hash(void)
{
    return dummy_hash;
}
