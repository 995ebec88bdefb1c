/* JSON body validation against a table of fields: types, required, bounds, unknown fields. */
#include "body.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timeutil.h"
#include "uuid.h"

static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void add(struct verr *v, const char *name, const char *msg, const char *type)
{
    char loc[128];
    snprintf(loc, sizeof loc, "body.%s", name);
    verr_add(v, loc, msg, type);
}

static void check_value(const struct field *f, const cJSON *j, struct verr *v)
{
    char msg[96];
    switch (f->type) {
    case F_STRING:
        if (!cJSON_IsString(j)) {
            add(v, f->name, "must be a string", "type_error.str");
        } else {
            size_t n = utf8_length(j->valuestring);
            if ((long)n < f->min || (f->max && (long)n > f->max)) {
                snprintf(msg, sizeof msg, "length must be between %ld and %ld characters",
                         f->min, f->max);
                add(v, f->name, msg, "value_error.any_str");
            }
        }
        break;
    case F_INT:
        if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble) ||
            fabs(j->valuedouble) > 9e15) {
            add(v, f->name, "must be an integer", "type_error.integer");
        } else if (j->valuedouble < (double)f->min || j->valuedouble > (double)f->max) {
            snprintf(msg, sizeof msg, "must be between %ld and %ld", f->min, f->max);
            add(v, f->name, msg, "value_error.number");
        }
        break;
    case F_BOOL:
        if (!cJSON_IsBool(j))
            add(v, f->name, "must be a boolean", "type_error.bool");
        break;
    case F_UUID:
        if (!cJSON_IsString(j) || !uuid_parse(j->valuestring, NULL))
            add(v, f->name, "must be a UUID", "type_error.uuid");
        break;
    case F_DATE: {
        int y, m, d;
        if (!cJSON_IsString(j) || !date_parse(j->valuestring, &y, &m, &d))
            add(v, f->name, "must be a date (YYYY-MM-DD)", "type_error.date");
        break;
    }
    }
}

bool body_validate(const struct ctx *c, const struct field *fields, struct verr *v)
{
    int before = cJSON_GetArraySize(v->list);
    const cJSON *obj = c->json;
    if (obj && !cJSON_IsObject(obj)) {
        verr_add(v, "body", "must be a JSON object", "type_error.dict");
        return false;
    }
    for (const cJSON *ch = obj ? obj->child : NULL; ch; ch = ch->next) {
        bool known = false;
        for (const struct field *f = fields; f->name && !known; f++)
            known = !strcmp(f->name, ch->string);
        if (!known)
            add(v, ch->string, "unknown field", "value_error.extra");
    }
    for (const struct field *f = fields; f->name; f++) {
        const cJSON *j = obj ? cJSON_GetObjectItemCaseSensitive(obj, f->name) : NULL;
        if (!j) {
            if (f->required)
                add(v, f->name, "field required", "value_error.missing");
        } else if (cJSON_IsNull(j)) {
            if (!f->nullable)
                add(v, f->name, "must not be null", "type_error.none.not_allowed");
        } else {
            check_value(f, j, v);
        }
    }
    return cJSON_GetArraySize(v->list) == before;
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
