/* JSON body validation against a table of fields: types, required, bounds, unknown fields. */
#include "api/body.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "timeutil.h"
#include "uuid.h"

static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void add(struct verr *v, const char *prefix, const char *name, const char *msg,
                const char *type)
{
    char loc[160];
    snprintf(loc, sizeof loc, "%s.%s", prefix, name);
    verr_add(v, loc, msg, type);
}

static void check_money(const struct field *f, const cJSON *j, const char *prefix, struct verr *v)
{
    char msg[128], lo[32], hi[32];
    int64_t cents;
    if (!cJSON_IsNumber(j)) {
        add(v, prefix, f->name, "must be a number", "type_error.float");
    } else if (!money_cents_from_double(j->valuedouble, f->max, &cents) || cents < -f->max) {
        money_format_cents(f->max, hi, sizeof hi);
        snprintf(msg, sizeof msg, "must have at most two decimals and be at most %s", hi);
        add(v, prefix, f->name, msg, "value_error.decimal");
    } else if (cents < f->min || (f->gt_min && cents == f->min)) {
        money_format_cents(f->min, lo, sizeof lo);
        snprintf(msg, sizeof msg, "must be greater than %s%s", f->gt_min ? "" : "or equal to ", lo);
        add(v, prefix, f->name, msg, "value_error.number");
    }
}

void body_check_field(const struct field *f, const cJSON *j, const char *prefix, struct verr *v)
{
    char msg[256];
    switch (f->type) {
    case F_STRING:
        if (!cJSON_IsString(j)) {
            add(v, prefix, f->name, "must be a string", "type_error.str");
        } else {
            size_t n = utf8_length(j->valuestring);
            if ((long)n < f->min || (f->max && (long)n > f->max)) {
                snprintf(msg, sizeof msg, "length must be between %ld and %ld characters", f->min,
                         f->max);
                add(v, prefix, f->name, msg, "value_error.any_str");
            }
        }
        break;
    case F_INT:
        if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble) ||
            fabs(j->valuedouble) > 9e15) {
            add(v, prefix, f->name, "must be an integer", "type_error.integer");
        } else if (j->valuedouble < (double)f->min || j->valuedouble > (double)f->max) {
            snprintf(msg, sizeof msg, "must be between %ld and %ld", f->min, f->max);
            add(v, prefix, f->name, msg, "value_error.number");
        }
        break;
    case F_NUMBER:
        if (!cJSON_IsNumber(j))
            add(v, prefix, f->name, "must be a number", "type_error.float");
        else if (j->valuedouble < (double)f->min || j->valuedouble > (double)f->max ||
                 (f->gt_min && j->valuedouble == (double)f->min)) {
            snprintf(msg, sizeof msg, "must be %s %ld and at most %ld",
                     f->gt_min ? "greater than" : "at least", f->min, f->max);
            add(v, prefix, f->name, msg, "value_error.number");
        }
        break;
    case F_MONEY:
        check_money(f, j, prefix, v);
        break;
    case F_ENUM: {
        bool ok = cJSON_IsString(j);
        for (const char *const *e = f->values; ok && *e; e++)
            if (!strcmp(*e, j->valuestring))
                goto enum_ok;
        snprintf(msg, sizeof msg, "must be one of:");
        for (const char *const *e = f->values; *e; e++)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s '%s'",
                     e == f->values ? "" : ",", *e);
        add(v, prefix, f->name, msg, "type_error.enum");
    enum_ok:
        break;
    }
    case F_BOOL:
        if (!cJSON_IsBool(j))
            add(v, prefix, f->name, "must be a boolean", "type_error.bool");
        break;
    case F_UUID:
        if (!cJSON_IsString(j) || !uuid_parse(j->valuestring, NULL))
            add(v, prefix, f->name, "must be a UUID", "type_error.uuid");
        break;
    case F_DATE: {
        int y, m, d;
        if (!cJSON_IsString(j) || !date_parse(j->valuestring, &y, &m, &d))
            add(v, prefix, f->name, "must be a date (YYYY-MM-DD)", "type_error.date");
        break;
    }
    }
}

bool body_validate_object(const cJSON *obj, const struct field *fields, const char *prefix,
                          struct verr *v)
{
    int before = cJSON_GetArraySize(v->list);
    if (obj && !cJSON_IsObject(obj)) {
        verr_add(v, prefix, "must be a JSON object", "type_error.dict");
        return false;
    }
    for (const cJSON *ch = obj ? obj->child : NULL; ch; ch = ch->next) {
        /* JSON allows a repeated name; we do not: only one of them would
         * have been validated. */
        for (const cJSON *prev = obj->child; prev != ch; prev = prev->next) {
            if (!strcmp(prev->string, ch->string)) {
                add(v, prefix, ch->string, "duplicate field", "value_error.duplicate");
                break;
            }
        }
        bool known = false;
        for (const struct field *f = fields; f->name && !known; f++)
            known = !strcmp(f->name, ch->string);
        if (!known)
            add(v, prefix, ch->string, "unknown field", "value_error.extra");
    }
    for (const struct field *f = fields; f->name; f++) {
        const cJSON *j = obj ? cJSON_GetObjectItemCaseSensitive(obj, f->name) : NULL;
        if (!j) {
            if (f->required)
                add(v, prefix, f->name, "field required", "value_error.missing");
        } else if (cJSON_IsNull(j)) {
            if (!f->nullable)
                add(v, prefix, f->name, "must not be null", "type_error.none.not_allowed");
        } else {
            body_check_field(f, j, prefix, v);
        }
    }
    return cJSON_GetArraySize(v->list) == before;
}

bool body_validate(const struct ctx *c, const struct field *fields, struct verr *v)
{
    return body_validate_object(c->json, fields, "body", v);
}

const char *body_str(const struct ctx *c, const char *name)
{
    const cJSON *j = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, name) : NULL;
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

long body_int(const struct ctx *c, const char *name, long def)
{
    const cJSON *j = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, name) : NULL;
    return cJSON_IsNumber(j) ? (long)j->valuedouble : def;
}

bool body_has(const struct ctx *c, const char *name)
{
    const cJSON *j = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, name) : NULL;
    return j && !cJSON_IsNull(j);
}

bool body_money(const struct ctx *c, const char *name, char *out)
{
    const cJSON *j = c->json ? cJSON_GetObjectItemCaseSensitive(c->json, name) : NULL;
    int64_t cents;
    if (!cJSON_IsNumber(j) || !money_cents_from_double(j->valuedouble, INT64_MAX / 1000, &cents))
        return false;
    money_format_cents(cents, out, 32);
    return true;
}
