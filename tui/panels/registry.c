/* The views and their panels, in reading order: adding a panel is one line here. */
#include <string.h>

#include "panel.h"
#include "panels.h"

static const struct panel *const dashboard[] = {
    &panel_kpis,    &panel_gauges,   &panel_categories,
    &panel_revenue, &panel_activity, &panel_healthstrip,
};
static const struct panel *const quotes[] = {&panel_quotes};
static const struct panel *const expenses[] = {&panel_expenses};
static const struct panel *const quotas[] = {&panel_quotas, &panel_alerts, &panel_targets};
static const struct panel *const health[] = {&panel_health, &panel_cache, &panel_timing};

#define VIEW(name, title, tab, list)                                                               \
    {                                                                                              \
        name, title, tab, list, (int)(sizeof list / sizeof list[0])                                \
    }

const struct view views[VIEW_COUNT] = {
    VIEW("dashboard", MSG_VIEW_DASHBOARD, MSG_TAB_DASHBOARD, dashboard),
    VIEW("quotes", MSG_VIEW_QUOTES, MSG_TAB_QUOTES, quotes),
    VIEW("expenses", MSG_VIEW_EXPENSES, MSG_TAB_EXPENSES, expenses),
    VIEW("quotas", MSG_VIEW_QUOTAS, MSG_TAB_QUOTAS, quotas),
    VIEW("health", MSG_VIEW_HEALTH, MSG_TAB_HEALTH, health),
};

int view_find(const char *name)
{
    for (int i = 0; name && i < VIEW_COUNT; i++)
        if (!strcmp(views[i].name, name) || (name[0] == '1' + i && !name[1]))
            return i;
    return -1;
}
