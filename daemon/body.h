/* JSON body validation against a table of fields: types, required, bounds, unknown fields. */
#ifndef ONQUOTA_BODY_H
#define ONQUOTA_BODY_H

#include <stdbool.h>

#include "request.h"

enum field_type {
    F_STRING, /* min/max bound the length in characters (UTF-8 code points) */
    F_INT,    /* min/max bound the value */
    F_BOOL,
    F_UUID,
    F_DATE, /* YYYY-MM-DD */
};

struct field {
    const char *name;
    enum field_type type;
    bool required;
    bool nullable;
    long min, max;
};

/* Checks c->json against fields (terminated by a NULL name): the body must
 * be an object (a missing body counts as {} for all-optional tables); every
 * unknown field, missing required field, wrong type and out-of-bounds value
 * gets its own 422 entry with loc ["body", name]. Returns true when valid. */
bool body_validate(const struct ctx *c, const struct field *fields, struct verr *v);

/* Typed getters for fields that body_validate accepted. Absent or null
 * gives def / NULL. Strings point into c->json. */
const char *body_str(const struct ctx *c, const char *name);
long body_int(const struct ctx *c, const char *name, long def);
bool body_has(const struct ctx *c, const char *name);

#endif
