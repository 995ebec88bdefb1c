/* The demo vocabulary: tenants, people, products, places and expense texts (data.c). */
#ifndef ONQUOTA_SEED_DATA_H
#define ONQUOTA_SEED_DATA_H

#include <stddef.h>
#include <stdint.h>

enum { SEED_TENANTS = 2, SEED_USERS = 8, SEED_REPS = 5, SEED_CATEGORIES = 6, SEED_VEHICLES = 10 };

/* Index of each role in a tenant's user list (seed_tenant_def.users). */
enum { SEED_U_ADMIN = 0, SEED_U_SUPERVISOR = 1, SEED_U_REP1 = 2, SEED_U_ANALYST = 7 };

struct seed_user_def {
    const char *local; /* e-mail local part: "admin", "rep1", ... */
    const char *role;  /* user_role value */
    const char *full_name;
};

struct seed_product {
    const char *name;
    int64_t price_cents; /* list price at the start of the window */
    int qmin, qmax;      /* quantity range */
    int fractional;      /* quantities in quarters (kg, hours) */
};

struct seed_place {
    const char *city, *country;
};

struct seed_category_text {
    const char *description;
    const char *items[3]; /* expense descriptions */
    const char *vendors[3];
};

struct seed_vehicle_def {
    const char *brand, *model, *type;
};

/* Everything language- or tenant-specific about one demo tenant. */
struct seed_tenant_def {
    const char *company_name, *domain, *settings;
    struct seed_user_def users[SEED_USERS];
    const struct seed_product *products;
    size_t nproducts;
    const struct seed_place *places;
    size_t nplaces;
    const char *const *company_a, *const *company_b, *const *company_c;
    size_t na, nb, nc;
    const char *const *first_names, *const *last_names;
    size_t nfirst, nlast;
    const char *phone_fmt; /* printf format with one int in [0, phone_mod) */
    unsigned phone_mod;
    struct seed_category_text categories[SEED_CATEGORIES];
    const char *const *reject_reasons;
    size_t nreject;
    const char *const *quote_notes;
    size_t nnotes;
    const char *plate_fmt; /* printf format: int, then three letters */
};

extern const struct seed_tenant_def seed_tenants[SEED_TENANTS];

/* FUEL, MAINTENANCE, ...: name, icon, colour; shared by both tenants. */
extern const char *const seed_category_names[SEED_CATEGORIES];
extern const char *const seed_category_icons[SEED_CATEGORIES];
extern const char *const seed_category_colors[SEED_CATEGORIES];
extern const struct seed_vehicle_def seed_vehicles[SEED_VEHICLES];
extern const char *const seed_tags[];
extern const size_t seed_ntags;

#endif
