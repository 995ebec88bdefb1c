/* The INI reader: section headers and key = value lines, handed to a callback with their line. */
#ifndef ONQUOTA_INI_H
#define ONQUOTA_INI_H

#include <stddef.h>
#include <stdio.h>

/* The largest INI text read, in bytes (config, theme and credentials files
 * are a few hundred). */
#define INI_MAX_BYTES (1u << 20)

/* The syntax, one line at a time (spaces and tabs around every part are
 * ignored, and so is a final '\r'):
 *   - a blank line, or one whose first character is '#' or ';', is nothing;
 *   - "[NAME]" starts section NAME (NAME trimmed, not empty);
 *   - "KEY = VALUE" is a key (KEY not empty) in the current section ("" before
 *     any header); VALUE may be empty;
 *   - anything else is an error.
 * A ';' or '#' standing alone as a word (whitespace or the value's start
 * before it, whitespace or the line's end after it) starts a comment that
 * runs to the line's end, after a value or a header: "port = 80 ; web"
 * is "80". A '#' inside a word is kept: "#ff0000", "pa#ss". A value in
 * matching double or single quotes loses them, and inside them ';' and '#'
 * are plain characters: "pass = 'a ; b' # note" is "a ; b". There are no
 * escapes; an unmatched quote is kept as a character. */
struct ini_item {
    const char *section; /* the current section: "" before any header */
    const char *key;     /* NULL for a section header line */
    const char *value;   /* NULL for a section header line */
    int line;            /* from 1 */
};

/* Called for each section header (key NULL, section the new one) and each
 * key = value line; the strings are valid during the call only. Returns 0
 * to go on, or -1 to stop with *msg a malloc'd message that does not name
 * the place: the reader adds "SOURCE:LINE: " in front. */
typedef int (*ini_fn)(const struct ini_item *item, void *arg, char **msg);

/* Reads the len bytes of text (any NUL in them is an error), calling fn
 * for each item in order. Returns 0, or -1 with *err (caller frees)
 * "SOURCE:LINE: what is wrong", whether the line was malformed or fn
 * refused it. The reader's copy of text is wiped before it is freed
 * (credentials hold tokens). */
int ini_parse(const char *text, size_t len, const char *source, ini_fn fn, void *arg, char **err);

/* ini_parse on the rest of f (which the caller opened and closes): also
 * -1 with "SOURCE: ..." when f cannot be read or holds more than
 * INI_MAX_BYTES. */
int ini_parse_file(FILE *f, const char *source, ini_fn fn, void *arg, char **err);

#endif
