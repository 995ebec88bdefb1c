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

#define VIEW(name, title, title_es, list)                                                          \
    {                                                                                              \
        name, title, title_es, list, (int)(sizeof list / sizeof list[0])                           \
    }

const struct view views[VIEW_COUNT] = {
    VIEW("dashboard", "Dashboard", "Panel", dashboard),
    VIEW("quotes", "Quotes", "Cotizaciones", quotes),
    VIEW("expenses", "Expenses", "Gastos", expenses),
    VIEW("quotas", "Quotas", "Cuotas", quotas),
    VIEW("health", "Health", "Salud", health),
};

int view_find(const char *name)
{
    for (int i = 0; name && i < VIEW_COUNT; i++)
        if (!strcmp(views[i].name, name) || (name[0] == '1' + i && !name[1]))
            return i;
    return -1;
}
