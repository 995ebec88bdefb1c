/* The panel objects of the files in panels/, for the registry, and helpers some of them share. */
#ifndef ONQUOTA_TUI_PANELS_H
#define ONQUOTA_TUI_PANELS_H

#include "panel.h"

extern const struct panel panel_kpis, panel_gauges, panel_categories, panel_revenue, panel_activity,
    panel_healthstrip;                                               /* view 1 */
extern const struct panel panel_quotes;                              /* view 2 */
extern const struct panel panel_expenses;                            /* view 3 */
extern const struct panel panel_quotas, panel_alerts, panel_targets; /* view 4 */
extern const struct panel panel_health, panel_cache, panel_timing;   /* view 5 */

/* Month abbreviations, January first. */
extern const char *const months_en[12];
extern const char *const months_es[12];

/* The abbreviation of month m (1–12). */
static inline const char *month_name(bool es, int m)
{
    const char *const *names = es ? months_es : months_en;
    return names[m - 1];
}

/* Most rows a gauge list has (the team and the reps). */
#define GAUGES_MAX_ROWS 512

/* The rows a gauge list shows, into idx: -1 for the team (only without a
 * filter), else indexes of q->reps, kept by st->filter and ordered by
 * st->sort (0 as the API sends, 1 name, 2 percent; st->desc reverses).
 * Returns how many. */
int gauges_rows(const struct panel_state *st, const struct model_quota_perf *q, int *idx);

/* The team (i < 0) or rep i of q. */
static inline const struct model_rep *gauges_rep(const struct model_quota_perf *q, int i)
{
    return i < 0 ? &q->team : &q->reps[i];
}

/* Draws the team and rep gauges of q in r from row c->st->scroll (one line
 * each) and records rows/visible in c->st. Returns the rows of content.
 * (gauges.c; also the Quotas view.) */
int gauges_draw_perf(struct grid *g, struct rect r, struct panel_ctx *c,
                     const struct model_quota_perf *q);

/* Moves the selected rep of a gauge list (quota_month's when month_view,
 * else the dashboard's), and Enter drills down to that rep; true when used. */
bool gauges_rep_key(struct panel_ctx *c, enum action a, bool month_view);

/* The info text of a filtered or sorted gauge list ("/ana · sort name"), or "". */
void gauges_filter_info(const struct panel_ctx *c, char *out, size_t n);

/* Scrolls a gauge list by the movement actions; true when used. */
bool gauges_key(struct panel_ctx *c, enum action a);

#endif
