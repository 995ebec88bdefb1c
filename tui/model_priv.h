/* Internal helpers shared by the model parsers (model*.c): tolerant reads of cJSON members. */
#ifndef ONQUOTA_TUI_MODEL_PRIV_H
#define ONQUOTA_TUI_MODEL_PRIV_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "model.h"

/* Parses json; on success returns the root when it has type want (cJSON_Object
 * or cJSON_Array; 0 accepts either), else NULL with a malloc'd *err. */
cJSON *model_json_parse(const char *json, int want, char **err);

/* A malloc'd copy of string member name of o, or NULL (missing, null, other type). */
char *model_json_str(const cJSON *o, const char *name);

/* Number member name of o; *has (may be NULL) says whether it was a number. */
double model_json_num(const cJSON *o, const char *name, bool *has);

/* Integer member name (a number, truncated), or def (also when it is
 * beyond long). */
long model_json_long(const cJSON *o, const char *name, long def);

/* Boolean member name (true/false), or def. */
bool model_json_bool(const cJSON *o, const char *name, bool def);

/* Object member name, or NULL when missing or not an object. */
const cJSON *model_json_obj(const cJSON *o, const char *name);

/* Array member name, or NULL when missing or not an array. */
const cJSON *model_json_arr(const cJSON *o, const char *name);

/* Fills a rep row (quota-performance "team"/"reps" fields) from o. */
void model_json_rep(const cJSON *o, struct model_rep *r);
void model_json_rep_free(struct model_rep *r);

/* Reads {"total", "page", "page_size", "pages"} of a list answer. */
void model_json_page(const cJSON *o, struct model_page *p);

/* The items of a list answer: the "items" array of an object, or the
 * root when it is an array itself; NULL otherwise. */
const cJSON *model_json_items(const cJSON *root);

#endif
