/* API tokens: generation, hashing (SHA-256 via libcrypto) and base64url/hex codecs. */
#ifndef ONQUOTA_TOKEN_H
#define ONQUOTA_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_PREFIX "oq_"
#define TOKEN_LEN 46 /* "oq_" + 43 base64url characters (256 bits) */
#define TOKEN_HASH_LEN 32

/* Fills out (TOKEN_LEN + 1 bytes) with a new token from getrandom(2).
 * Returns 0, or -1 if the kernel gave no randomness (errno set). */
int token_generate(char *out);
/* True when s has the token shape: prefix plus 43 base64url characters. */
bool token_wellformed(const char *s);
/* SHA-256 of s (strlen bytes) into out. */
void token_sha256(const char *s, unsigned char out[TOKEN_HASH_LEN]);
/* SHA-256 of n bytes, as 64 lower-case hex characters plus NUL into out. */
void sha256_hex(const void *p, size_t n, char out[65]);

/* Encodes n bytes as unpadded base64url into out (4*ceil(n/3)+1 bytes is
 * enough); returns the length written (without the NUL). */
size_t base64url_encode(const unsigned char *in, size_t n, char *out);
/* Encodes n bytes as lower-case hex plus NUL (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
