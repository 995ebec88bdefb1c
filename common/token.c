/* API tokens: generation from getrandom(2), SHA-256 hashing, base64url and hex encoding. */
#include "token.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define TOKEN_RANDOM_BYTES 32

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int token_generate(char *out)
{
    unsigned char rnd[TOKEN_RANDOM_BYTES];
    size_t got = 0;

    /* getrandom may return fewer bytes, or EINTR, when a signal arrives. */
    while (got < sizeof rnd) {
        ssize_t n = getrandom(rnd + got, sizeof rnd - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            OPENSSL_cleanse(rnd, sizeof rnd);
            return -1;
        }
        got += (size_t)n;
    }
    memcpy(out, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
    base64url_encode(rnd, sizeof rnd, out + sizeof TOKEN_PREFIX - 1);
    OPENSSL_cleanse(rnd, sizeof rnd);
    return 0;
}

bool token_wellformed(const char *s)
{
    size_t plen = sizeof TOKEN_PREFIX - 1;

    if (!s || strncmp(s, TOKEN_PREFIX, plen) != 0)
        return false;
    for (size_t i = plen; i < TOKEN_LEN; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return s[TOKEN_LEN] == '\0';
}

void token_sha256(const char *s, unsigned char out[TOKEN_HASH_LEN])
{
    EVP_Digest(s, strlen(s), out, NULL, EVP_sha256(), NULL);
}

void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[TOKEN_HASH_LEN];

    EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL);
    hex_encode(md, sizeof md, out);
}

size_t base64url_encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0, i = 0;

    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
        out[o++] = b64url[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
    }
    out[o] = '\0';
    return o;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}
