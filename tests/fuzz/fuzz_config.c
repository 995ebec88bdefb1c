/* libFuzzer target: the daemon's configuration file through config_load (common/ini.c and every
 * key's validation), as onquotad --config FILE reads it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/config.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Only the file may speak: no ONQUOTA_* or alias from the environment. */
    clearenv();
    fd = memfd_create("onquotad.conf", 0);
    if (fd < 0)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char *argv[] = {"onquotad", "--config", path, "check", NULL};
    int argc = 4;
    struct config c;
    char *err = NULL;
    if (config_load(&c, &argc, argv, &err) == 0) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            config_print(&c, null);
            fclose(null);
        }
        config_free(&c);
    } else if (!err) {
        abort(); /* the contract: -1 comes with a message */
    }
    free(err);
    return 0;
}
