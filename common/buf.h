/* An owned, growable byte buffer that is always NUL-terminated. */
#ifndef ONQUOTA_BUF_H
#define ONQUOTA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NULL until the first append; data[len] == '\0' after one */
    size_t len;
    size_t cap;
};

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Sets b to empty without allocating. */
void buf_init(struct buf *b);
/* Appends n bytes (may contain NUL). Aborts on out-of-memory. */
void buf_add(struct buf *b, const void *p, size_t n);
/* Appends a C string. */
void buf_adds(struct buf *b, const char *s);
/* Appends one byte. */
void buf_addc(struct buf *b, char c);
/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empties b but keeps its memory. */
void buf_reset(struct buf *b);
/* Returns the contents as a malloc'd NUL-terminated string (never NULL) and
 * leaves b empty; the caller owns the result. */
char *buf_take(struct buf *b);
/* Frees the memory and leaves b empty. */
void buf_free(struct buf *b);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *buf_str(const struct buf *b);

/* Appends s as a JSON string literal: quoted, with '"', '\\' and control
 * characters escaped as PostgreSQL's json functions escape them (\n, \t,
 * \u001f, ...); other bytes, UTF-8 included, are copied. */
void buf_add_json_string(struct buf *b, const char *s);

#endif
