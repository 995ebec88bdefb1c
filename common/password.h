/* Password hashing with yescrypt through libcrypt; verification of any libxcrypt method. */
#ifndef ONQUOTA_PASSWORD_H
#define ONQUOTA_PASSWORD_H

#include <stdbool.h>

/* Hashes pw with a fresh yescrypt salt ("$y$..."). Returns a malloc'd hash,
 * or NULL with a malloc'd *err. Thread-safe (uses crypt_rn). */
char *password_hash(const char *pw, char **err);

/* True when pw matches stored, whatever method libxcrypt knows ($y$, $6$,
 * $2b$, ...). Compares in constant time. Thread-safe. */
bool password_verify(const char *pw, const char *stored);

/* A fixed valid hash to verify against when the user does not exist, so that
 * a wrong email costs about as much time as a wrong password. */
const char *password_dummy_hash(void);

#endif
