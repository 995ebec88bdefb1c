/* The demo vocabulary: tenants, people, products, places and expense texts (data.c). */
#ifndef ONQUOTA_SEED_DATA_H
#define ONQUOTA_SEED_DATA_H

#include <stddef.h>
#include <stdint.h>

enum { SG_TENANTS = 2, SG_USERS = 8, SG_REPS = 5, SG_CATEGORIES = 6, SG_VEHICLES = 10 };

/* Index of each role in a tenant's user list (sg_tenant_def.users). */
enum { SG_U_ADMIN = 0, SG_U_SUPERVISOR = 1, SG_U_REP1 = 2, SG_U_ANALYST = 7 };

struct sg_user_def {
    const char *local; /* e-mail local part: "admin", "rep1", ... */
    const char *role;  /* user_role value */
    const char *full_name;
};

struct sg_product {
    const char *name;
    int64_t price_cents; /* list price at the start of the window */
    int qmin, qmax;      /* quantity range */
    int fractional;      /* quantities in quarters (kg, hours) */
};

struct sg_place {
    const char *city, *country;
};

struct sg_category_text {
    const char *description;
    const char *items[3]; /* expense descriptions */
    const char *vendors[3];
};

struct sg_vehicle_def {
    const char *brand, *model, *type;
};

/* Everything language- or tenant-specific about one demo tenant. */
struct sg_tenant_def {
    const char *company_name, *domain, *settings;
    struct sg_user_def users[SG_USERS];
    const struct sg_product *products;
    size_t nproducts;
    const struct sg_place *places;
    size_t nplaces;
    const char *const *company_a, *const *company_b, *const *company_c;
    size_t na, nb, nc;
    const char *const *first_names, *const *last_names;
    size_t nfirst, nlast;
    const char *phone_fmt; /* printf format with one int in [0, phone_mod) */
    unsigned phone_mod;
    struct sg_category_text categories[SG_CATEGORIES];
    const char *const *reject_reasons;
    size_t nreject;
    const char *const *quote_notes;
    size_t nnotes;
    const char *plate_fmt; /* printf format: int, then three letters */
};

extern const struct sg_tenant_def sg_tenants[SG_TENANTS];

/* FUEL, MAINTENANCE, ...: name, icon, colour; shared by both tenants. */
extern const char *const sg_category_names[SG_CATEGORIES];
extern const char *const sg_category_icons[SG_CATEGORIES];
extern const char *const sg_category_colors[SG_CATEGORIES];
extern const struct sg_vehicle_def sg_vehicles[SG_VEHICLES];
extern const char *const sg_tags[];
extern const size_t sg_ntags;

#endif
