/* The login credentials file (URL, email, token) in $XDG_CONFIG_HOME/onquota, mode 0600. */
#ifndef ONQUOTA_TUI_CREDENTIALS_H
#define ONQUOTA_TUI_CREDENTIALS_H

struct credentials {
    char *url, *email, *token; /* each malloc'd or NULL */
};

/* The file's path (malloc'd). */
char *credentials_path(void);

/* Reads the file (INI, common/ini.h: url, email and token; other keys are
 * ignored). Returns 0 when read, 1 when there is no file (c zeroed), -1
 * with a malloc'd *err when it exists but cannot be read or has a malformed
 * line ("PATH:LINE: ...", c zeroed). Free c with credentials_free. */
int credentials_read(struct credentials *c, char **err);

/* Writes the file atomically with mode 0600 (creating the directory with
 * 0700). Returns 0, or -1 with a malloc'd *err. */
int credentials_write(const struct credentials *c, char **err);

/* Deletes the file; 0 when gone (or absent), -1 with a malloc'd *err. */
int credentials_remove(char **err);

void credentials_free(struct credentials *c);

/* Reads a token file: its first line, trimmed. Returns a malloc'd token, or
 * NULL with a malloc'd *err (unreadable or empty). */
char *credentials_read_token_file(const char *path, char **err);

#endif
