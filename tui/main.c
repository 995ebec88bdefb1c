/* onquota: the terminal client's entry point; parses options and runs the command. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "buf.h"
#include "options.h"

int main(int argc, char **argv)
{
    /* The locale decides UTF-8 or ASCII drawing only; numbers are formatted
     * by hand, never through the locale. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");

    struct options o;
    char *err = NULL;
    if (options_load(&o, argc, argv, &err) != 0) {
        fprintf(stderr, "onquota: %s\n", err);
        free(err);
        options_free(&o);
        return EXIT_USAGE;
    }
    int rc = 0;
    if (o.help) {
        struct buf b = BUF_INIT;
        options_help(&b);
        fputs(buf_str(&b), stdout);
        buf_free(&b);
    } else if (o.version) {
        printf("onquota %s\n", ONQUOTA_VERSION);
    } else {
        switch (o.cmd) {
        case CMD_LOGIN:
            rc = cmd_login(&o);
            break;
        case CMD_LOGOUT:
            rc = cmd_logout(&o);
            break;
        case CMD_HEALTH:
            rc = cmd_health(&o);
            break;
        default:
            rc = o.once ? app_once(&o) : app_run(&o);
            break;
        }
    }
    options_free(&o);
    return rc;
}
