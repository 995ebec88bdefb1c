/* libFuzzer target: the client's theme parser (tui/theme_parse.c) and colour resolution. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct theme t;
    char *err = NULL;
    if (theme_parse(text, "fuzz.theme", &t, &err)) {
        /* Every role resolves and maps to a 256-, 16- and 8-colour terminal. */
        for (int r = 0; r < ROLE_COUNT; r++) {
            struct theme_style st = theme_resolve(&t, (enum color_role)r, ROLE_BACKGROUND, 0);
            uint32_t rgb;
            (void)theme_color_rgb(st.fg, &rgb);
            static const int depths[] = {256, 16, 8};
            for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++)
                if (theme_color_approx(st.fg, depths[d]) >= depths[d] ||
                    theme_color_approx(st.bg, depths[d]) >= depths[d])
                    abort(); /* the contract: an index below colors */
        }
    } else if (!err) {
        abort(); /* the contract: false comes with a message */
    }
    free(err);
    free(text);
    return 0;
}
