/* Internal helpers shared by the model parsers (model*.c): tolerant reads of cJSON members. */
#ifndef ONQUOTA_TUI_MODEL_PRIV_H
#define ONQUOTA_TUI_MODEL_PRIV_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "model.h"

/* Parses json; on success returns the root when it has type want (cJSON_Object
 * or cJSON_Array; 0 accepts either), else NULL with a malloc'd *err. */
cJSON *mj_parse(const char *json, int want, char **err);

/* A malloc'd copy of string member name of o, or NULL (missing, null, other type). */
char *mj_str(const cJSON *o, const char *name);

/* Number member name of o; *has (may be NULL) says whether it was a number. */
double mj_num(const cJSON *o, const char *name, bool *has);

/* Integer member name (a number, truncated), or def (also when it is
 * beyond long). */
long mj_long(const cJSON *o, const char *name, long def);

/* Boolean member name (true/false), or def. */
bool mj_bool(const cJSON *o, const char *name, bool def);

/* Object member name, or NULL when missing or not an object. */
const cJSON *mj_obj(const cJSON *o, const char *name);

/* Array member name, or NULL when missing or not an array. */
const cJSON *mj_arr(const cJSON *o, const char *name);

/* Fills a rep row (quota-performance "team"/"reps" fields) from o. */
void mj_rep(const cJSON *o, struct m_rep *r);
void mj_rep_free(struct m_rep *r);

/* Reads {"total", "page", "page_size", "pages"} of a list answer. */
void mj_page(const cJSON *o, struct m_page *p);

/* The items of a list answer: the "items" array of an object, or the
 * root when it is an array itself; NULL otherwise. */
const cJSON *mj_items(const cJSON *root);

#endif
