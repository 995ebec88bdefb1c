/* The client's options: one table drives every source of settings, checks and --help. */
#ifndef ONQUOTA_TUI_OPTIONS_H
#define ONQUOTA_TUI_OPTIONS_H

#include <stdbool.h>

#include "buf.h"
#include "theme.h"

/* Exit status of every usage, configuration or authentication error. */
#define EXIT_USAGE 3

enum command {
    CMD_DASHBOARD = 0, /* the interactive dashboard, or --once */
    CMD_LOGIN,
    CMD_LOGOUT,
    CMD_HEALTH,
    CMD_COUNT
};

struct options {
    enum command cmd;
    char *url;
    char *token_file;
    int interval;
    int max_reply_mib; /* --max-reply-size */
    char *theme;
    char *theme_dir;
    bool ascii, no_color, no_mouse;
    char *view;
    int year;
    char *as_of;
    char *lang;
    char *cacert;
    bool once;
    bool watch; /* --watch: print again on every change */
    char *format;
    bool json, quiet;    /* health */
    char *email;         /* login */
    bool password_stdin; /* login */
    bool help, version;
    char *profile; /* --profile: a [profile NAME] section of the config file */
    /* resolved by options_load */
    char *token;             /* the bearer token, or NULL */
    char *token_origin;      /* where it came from, for messages */
    struct theme theme_data; /* the loaded theme (default on errors) */
    char *theme_warning;     /* a broken theme's message, or NULL */
    int view_index;          /* 0..4 */
    bool ascii_effective;    /* --ascii or a non-UTF-8 locale */
};

/* Parses argv, the environment and the config file
 * ($XDG_CONFIG_HOME/onquota/config, else ~/.config/onquota/config; a
 * missing file is fine) with the precedence options > environment > file >
 * defaults, validates every value (URL, interval, theme, view, dates,
 * language, files) and loads the token (--token-file, $ONQUOTA_TOKEN, the
 * file's token_file, then the credentials file) and the theme. Returns 0,
 * or -1 with a malloc'd one-line *err; the caller prints it and exits
 * EXIT_USAGE. --help and --version are only flagged. Free with
 * options_free (also after a failure). */
int options_load(struct options *o, int argc, char **argv, char **err);
void options_free(struct options *o);

/* The names of the config file's [profile NAME] sections, in file order:
 * a malloc'd NULL-terminated array of malloc'd names (free with
 * options_names_free); *n gets the count. None (or no file): an empty array. */
char **options_profiles(size_t *n);
void options_names_free(char **names);

/* Saves key = value (a config key: "theme", "interval") in the config
 * file's global part: replaces the key's line there, or adds one before the
 * first section; creates the file (and directory) when missing. The file
 * is replaced atomically. Returns 0, or -1 with a malloc'd *err. */
int options_save(const char *key, const char *value, char **err);

/* The config file's path (malloc'd). */
char *options_config_path(void);

/* Appends the --help text (usage, commands, every option with its
 * environment variable and default, then every key of the key table). */
void options_help(struct buf *out);

/* $XDG_CONFIG_HOME/onquota (or ~/.config/onquota), malloc'd. */
char *options_config_dir(void);

/* Checks a daemon URL: http:// or https:// with a host and nothing but an
 * optional path; returns false with a malloc'd *err. */
bool options_check_url(const char *url, char **err);

#endif
