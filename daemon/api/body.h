/* JSON body validation against a table of fields: types, required, bounds, unknown fields. */
#ifndef ONQUOTA_BODY_H
#define ONQUOTA_BODY_H

#include <stdbool.h>

#include "api/request.h"

enum field_type {
    F_STRING, /* min/max bound the length in characters (UTF-8 code points) */
    F_INT,    /* min/max bound the value */
    F_BOOL,
    F_UUID,
    F_DATE,   /* YYYY-MM-DD */
    F_MONEY,  /* a JSON number with at most two decimals; min/max in cents */
    F_ENUM,   /* a string among values */
    F_NUMBER, /* any JSON number in [min, max] */
};

struct field {
    const char *name;
    enum field_type type;
    bool required;
    bool nullable;
    long min, max;             /* F_MONEY: cents; gt_min makes min exclusive */
    const char *const *values; /* F_ENUM: NULL-terminated */
    bool gt_min;
};

/* Numeric limits of the schema's money columns. */
#define CENTS_NUMERIC_12_2 999999999999L /* numeric(12,2): up to 9,999,999,999.99 */
#define CENTS_NUMERIC_10_2 9999999999L   /* numeric(10,2): up to 99,999,999.99 */

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
/* An F_MONEY field as exact SQL numeric text ("1500.00") into out (32
 * bytes); false when absent or null. */
bool body_money(const struct ctx *c, const char *name, char *out);
/* Same checks on one JSON value (for items inside arrays): adds entries
 * with loc prefix.name. */
void body_check_field(const struct field *f, const cJSON *j, const char *prefix, struct verr *v);
/* body_validate for an object nested at prefix ("body.items.0"). */
bool body_validate_object(const cJSON *obj, const struct field *fields, const char *prefix,
                          struct verr *v);

#endif
