/* Reports for scripts: every row of a view as plain text (no box drawing) or as CSV. */
#ifndef ONQUOTA_TUI_REPORT_H
#define ONQUOTA_TUI_REPORT_H

#include <stdbool.h>

#include "buf.h"
#include "panel.h"

/* Appends panel p's section to out: a "== Title ==" line, then every row of
 * its data in plain text (lines of at most 80 columns; long names end in
 * "…"). Returns false, with a line naming the failure, when the panel has no
 * data (the section failed). */
bool report_text(struct buf *out, const struct panel *p, const struct panel_ctx *c);

/* Appends only the rows of panel p's section (no title): for the pages of
 * a paged list after the first. */
void report_rows(struct buf *out, const struct panel *p, const struct panel_ctx *c);

/* True when view v is a list view that --format csv prints (quotes,
 * expenses, quotas). */
bool report_csv_view(int view);

/* Appends view v's rows as RFC 4180 CSV (CRLF line ends, fields quoted when
 * they hold a comma, a quote or a line break): the header row first when
 * header, then one row per record of the data held. Numbers are the API's
 * plain decimals ("1025.00"), times as the API sends them. */
void report_csv(struct buf *out, int view, const struct data *d, bool header);

/* Appends one CSV field (quoted when needed) and a comma, or CRLF when last. */
void report_csv_field(struct buf *out, const char *s, bool last);

#endif
