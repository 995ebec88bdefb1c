/* Test cases kept as data files (tests/data/SUITE/NAME.case), as curl keeps its cases. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The whole file at path (malloc'd, NUL-terminated), or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t cap = 0, len = 0, got;
    do {
        if (cap - len < 4096)
            text = realloc(text, cap = cap ? cap * 2 : 8192);
        got = fread(text + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0);
    fclose(f);
    text[len] = '\0';
    return text;
}

/* The value of header "key: value" in the lines before "---", or NULL. */
static char *header_value(const char *head, const char *key)
{
    size_t klen = strlen(key);
    for (const char *line = head; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (!strncmp(line, key, klen) && line[klen] == ':') {
            const char *v = line + klen + 1;
            while (*v == ' ')
                v++;
            return strndup(v, strcspn(v, "\n"));
        }
    }
    return NULL;
}

char *harness_json_compact(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    bool in_string = false;
    for (const char *p = text; *p; p++) {
        if (in_string) {
            *o++ = *p;
            if (*p == '\\' && p[1])
                *o++ = *++p;
            else if (*p == '"')
                in_string = false;
        } else if (*p == '"') {
            in_string = true;
            *o++ = *p;
        } else if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_case(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 5 && !strcmp(e->d_name + n - 5, ".case");
}

int harness_cases_load(const char *suite, struct harness_case **out)
{
    const char *root = getenv("ONQUOTA_SOURCE_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data/%s", root ? root : ".", suite);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_case, by_name);
    if (n < 0) {
        fprintf(stderr, "harness_cases_load: cannot read %s\n", dir);
        return -1;
    }
    struct harness_case *cases = calloc((size_t)n + 1, sizeof *cases);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        char *text = slurp(path);
        char *sep = text ? strstr(text, "\n---\n") : NULL;
        if (!sep) {
            fprintf(stderr, "harness_cases_load: %s: no '---' line before the body\n", path);
            free(text);
            free(names[i]);
            continue;
        }
        *sep = '\0';
        struct harness_case *k = &cases[kept++];
        k->file = strdup(names[i]->d_name);
        k->name = header_value(text, "name");
        k->path = header_value(text, "path");
        k->lang = header_value(text, "lang");
        k->who = header_value(text, "who");
        k->body = harness_json_compact(sep + 5);
        if (!k->name)
            k->name = strdup(k->file);
        free(text);
        free(names[i]);
    }
    free(names);
    *out = cases;
    return kept;
}
