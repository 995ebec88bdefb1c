/* The demo vocabulary: tenants, people, products, places and expense texts. */
#include "seed/data.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *const seed_category_names[SEED_CATEGORIES] = {"FUEL",  "MAINTENANCE", "TOLLS",
                                                          "MEALS", "LODGING",     "OFFICE"};
const char *const seed_category_icons[SEED_CATEGORIES] = {"fuel",     "wrench", "road",
                                                          "utensils", "bed",    "briefcase"};
const char *const seed_category_colors[SEED_CATEGORIES] = {"#E67E22", "#7F8C8D", "#2980B9",
                                                           "#27AE60", "#8E44AD", "#C0392B"};

const struct seed_vehicle_def seed_vehicles[SEED_VEHICLES] = {
    {"Toyota", "Corolla", "car"},
    {"Renault", "Kangoo", "van"},
    {"Ford", "Transit", "van"},
    {"Iveco", "Daily", "truck"},
    {"Mercedes-Benz", "Sprinter", "van"},
    {"Volkswagen", "Golf", "car"},
    {"Honda", "PCX 125", "motorcycle"},
    {"Isuzu", "NPR", "truck"},
    {"Nissan", "Leaf", "car"},
    {"Piaggio", "Porter", "other"},
};

const char *const seed_tags[] = {"vip", "wholesale", "export", "key-account", "new", "recurring"};
const size_t seed_ntags = N(seed_tags);

/* ------------------------------------------------------------------ Acme */

static const struct seed_product acme_products[] = {
    {"Palé europeo EUR-1", 1150, 20, 400, 0},
    {"Caja de cartón doble onda 60x40x40", 185, 100, 2000, 0},
    {"Film estirable 23 µm (bobina)", 1490, 10, 200, 0},
    {"Transpaleta manual 2,5 t", 38900, 1, 6, 0},
    {"Estantería metálica 5 baldas", 12900, 2, 40, 0},
    {"Etiquetas térmicas 100x150 (rollo)", 890, 10, 300, 0},
    {"Cinta adhesiva 48 mm (pack 36)", 3450, 2, 80, 0},
    {"Servicio de almacenaje (palé/mes)", 950, 10, 500, 0},
    {"Transporte nacional (palé)", 6500, 1, 66, 0},
    {"Contenedor plástico apilable 60x40", 2290, 10, 300, 0},
    {"Báscula industrial 300 kg", 54900, 1, 4, 0},
    {"Fleje de polipropileno (bobina)", 2750, 2, 60, 0},
    {"Guantes de trabajo (caja 12 pares)", 2190, 2, 50, 0},
    {"Lector de códigos de barras inalámbrico", 21900, 1, 20, 0},
    {"Impresora de etiquetas industrial", 129900, 1, 3, 0},
    {"Horas de consultoría logística", 7500, 2, 60, 1},
    {"Carretilla elevadora (alquiler/día)", 18500, 1, 30, 0},
    {"Precinto de seguridad numerado (100 u.)", 1990, 1, 40, 0},
};

static const struct seed_place acme_places[] = {
    {"Madrid", "España"},      {"Barcelona", "España"}, {"Valencia", "España"},
    {"Sevilla", "España"},     {"Bilbao", "España"},    {"Zaragoza", "España"},
    {"Málaga", "España"},      {"A Coruña", "España"},  {"Ciudad de México", "México"},
    {"Guadalajara", "México"}, {"Bogotá", "Colombia"},  {"Medellín", "Colombia"},
    {"Lima", "Perú"},          {"Santiago", "Chile"},   {"Buenos Aires", "Argentina"},
    {"Lisboa", "Portugal"},
};

static const char *const acme_company_a[] = {
    "Grupo",     "Comercial", "Distribuciones", "Industrias",  "Suministros", "Almacenes",
    "Logística", "Talleres",  "Hermanos",       "Cooperativa", "Transportes", "Construcciones",
    "Farmacia",  "Clínica",   "Hoteles",        "Agrícola",
};
static const char *const acme_company_b[] = {
    "Andina",       "del Norte",     "Ibérica",      "Atlántico", "Cantábrica",
    "del Sur",      "Levante",       "Mediterráneo", "Castilla",  "Galaica",
    "Pacífico",     "Sierra Nevada", "La Mancha",    "Aragón",    "Pirineo",
    "Guadalquivir", "Ebro",          "Duero",        "Miramar",   "Montserrat",
};
static const char *const acme_company_c[] = {"S.A.", "S.L.", "S.A. de C.V.", "S.A.S.", "y Cía."};
static const char *const acme_first[] = {
    "Lucía", "Javier", "Ana",    "Carlos", "María", "Diego",  "Sofía", "Pablo", "Elena", "Raúl",
    "Marta", "Andrés", "Carmen", "Iván",   "Laura", "Sergio", "Paula", "Jorge", "Irene", "Tomás",
};
static const char *const acme_last[] = {
    "Fernández", "Morales", "Ruiz",    "Gómez",   "López",    "Hernández", "Martín",
    "Navarro",   "García",  "Sánchez", "Pérez",   "Romero",   "Torres",    "Vargas",
    "Castro",    "Ortega",  "Muñoz",   "Jiménez", "Iglesias", "Peña",
};
static const char *const acme_reject[] = {
    "Falta el justificante",
    "Importe superior a la política de gastos",
    "Gasto duplicado",
    "No relacionado con la actividad comercial",
};
static const char *const acme_notes[] = {
    "Precios sin IVA.", "Entrega en 48 h desde la aceptación.",     "Incluye montaje.",
    "Pago a 30 días.",  "Oferta sujeta a disponibilidad de stock.",
};

/* -------------------------------------------------------------- Borealis */

static const struct seed_product borealis_products[] = {
    {"Organic rolled oats 25 kg", 4290, 2, 80, 0},
    {"Wild blueberries IQF 10 kg", 8950, 2, 60, 0},
    {"Maple syrup grade A 4 L", 5490, 4, 120, 0},
    {"Cold-pressed canola oil 20 L", 6890, 2, 40, 0},
    {"Smoked salmon fillet (kg)", 3890, 5, 80, 1},
    {"Aged cheddar block 5 kg", 7450, 2, 50, 0},
    {"Sourdough loaves (case of 12)", 4200, 2, 60, 0},
    {"Frozen green peas 10 kg", 2490, 4, 100, 0},
    {"Clover honey 3 kg pail", 3990, 2, 60, 0},
    {"House granola bulk 10 kg", 6190, 2, 40, 0},
    {"Dark roast coffee beans 5 kg", 9890, 1, 30, 0},
    {"Cranberry juice (case of 24)", 3290, 5, 150, 0},
    {"Free-range eggs (case of 180)", 8490, 1, 40, 0},
    {"Unsalted butter 25 kg", 21900, 1, 12, 0},
    {"Penne pasta 10 kg", 2390, 4, 100, 0},
    {"Menu development (hours)", 9500, 2, 40, 1},
};

static const struct seed_place borealis_places[] = {
    {"Toronto", "Canada"},       {"Montréal", "Canada"},       {"Vancouver", "Canada"},
    {"Calgary", "Canada"},       {"Ottawa", "Canada"},         {"Québec", "Canada"},
    {"Halifax", "Canada"},       {"Winnipeg", "Canada"},       {"Seattle", "United States"},
    {"Boston", "United States"}, {"Chicago", "United States"}, {"Portland", "United States"},
};

static const char *const borealis_company_a[] = {
    "Maple",    "Northern", "Summit",    "Harbour",   "Prairie",  "Cedar",     "Glacier",
    "Lakeside", "Aurora",   "Pinecrest", "Riverbend", "Frontier", "Birchwood", "Silver Creek",
};
static const char *const borealis_company_b[] = {
    "Foods",   "Market",   "Grocers", "Café",  "Bistro", "Bakery",        "Provisions",
    "Kitchen", "Catering", "Hotels",  "Co-op", "Deli",   "Health Centre", "Academy",
};
static const char *const borealis_company_c[] = {"Inc.", "Ltd.", "LLC", "Corp.", "& Sons"};
static const char *const borealis_first[] = {
    "Emily",     "James", "Olivia", "Liam",  "Chloé", "Noah",  "Emma",   "Benjamin", "Ava", "Lucas",
    "Charlotte", "Ethan", "Amelia", "Mason", "Zoé",   "Logan", "Harper", "Owen",     "Léa", "Jacob",
};
static const char *const borealis_last[] = {
    "Carter", "O'Connor", "Tremblay", "Roy",       "Gagnon",   "Wilson",   "Thompson",
    "Lee",    "Côté",     "Bouchard", "Martin",    "Campbell", "Anderson", "MacDonald",
    "Chen",   "Singh",    "Taylor",   "Pelletier", "Brown",    "Morin",
};
static const char *const borealis_reject[] = {
    "Missing receipt",
    "Above the expense policy limit",
    "Duplicate claim",
    "Not a business expense",
};
static const char *const borealis_notes[] = {
    "Prices exclude GST/HST.", "Delivery within 72 h of acceptance.",   "Cold chain included.",
    "Net 30 payment terms.",   "Seasonal pricing; subject to harvest.",
};

/* ------------------------------------------------------------------ tenants */

const struct seed_tenant_def seed_tenants[SEED_TENANTS] = {
    {
        .company_name = "Acme Distribución",
        .domain = "acme.example",
        .settings = "{\"locale\": \"es\", \"currency\": \"USD\"}",
        .users = {{"admin", "admin", "Lucía Fernández"},
                  {"supervisor", "supervisor", "Javier Morales"},
                  {"rep1", "sales_rep", "Ana Ruiz"},
                  {"rep2", "sales_rep", "Carlos Gómez"},
                  {"rep3", "sales_rep", "María López"},
                  {"rep4", "sales_rep", "Diego Hernández"},
                  {"rep5", "sales_rep", "Sofía Martín"},
                  {"analyst", "analyst", "Pablo Navarro"}},
        .products = acme_products,
        .nproducts = N(acme_products),
        .places = acme_places,
        .nplaces = N(acme_places),
        .company_a = acme_company_a,
        .na = N(acme_company_a),
        .company_b = acme_company_b,
        .nb = N(acme_company_b),
        .company_c = acme_company_c,
        .nc = N(acme_company_c),
        .first_names = acme_first,
        .nfirst = N(acme_first),
        .last_names = acme_last,
        .nlast = N(acme_last),
        .phone_fmt = "+34 6%08d",
        .phone_mod = 100000000,
        .categories =
            {
                {"Combustible de vehículos",
                 {"Repostaje ruta comercial", "Gasóleo furgoneta de reparto",
                  "Combustible visita a cliente"},
                 {"Repsol", "Cepsa", "BP"}},
                {"Mantenimiento de la flota",
                 {"Cambio de aceite y filtros", "Neumáticos nuevos", "Revisión ITV"},
                 {"Norauto", "Midas", "Taller Hermanos Gil"}},
                {"Peajes y aparcamiento",
                 {"Peaje AP-7", "Aparcamiento centro", "Peaje AP-6"},
                 {"Abertis", "Empark", "Saba"}},
                {"Comidas y dietas",
                 {"Comida con cliente", "Dieta de viaje", "Desayuno de trabajo"},
                 {"Restaurante El Faro", "VIPS", "Cafetería Central"}},
                {"Alojamiento",
                 {"Hotel visita comercial", "Noche en feria del sector", "Hotel ruta norte"},
                 {"NH Hoteles", "Meliá", "Ibis"}},
                {"Oficina y material",
                 {"Material de oficina", "Tóner impresora", "Envío de muestras"},
                 {"Lyreco", "Staples", "Correos"}},
            },
        .reject_reasons = acme_reject,
        .nreject = N(acme_reject),
        .quote_notes = acme_notes,
        .nnotes = N(acme_notes),
        .plate_fmt = "%04d %c%c%c",
    },
    {
        .company_name = "Borealis Foods",
        .domain = "borealis.example",
        .settings = "{\"locale\": \"en\", \"currency\": \"USD\"}",
        .users = {{"admin", "admin", "Emily Carter"},
                  {"supervisor", "supervisor", "James O'Connor"},
                  {"rep1", "sales_rep", "Olivia Tremblay"},
                  {"rep2", "sales_rep", "Liam Roy"},
                  {"rep3", "sales_rep", "Chloé Gagnon"},
                  {"rep4", "sales_rep", "Noah Wilson"},
                  {"rep5", "sales_rep", "Emma Thompson"},
                  {"analyst", "analyst", "Benjamin Lee"}},
        .products = borealis_products,
        .nproducts = N(borealis_products),
        .places = borealis_places,
        .nplaces = N(borealis_places),
        .company_a = borealis_company_a,
        .na = N(borealis_company_a),
        .company_b = borealis_company_b,
        .nb = N(borealis_company_b),
        .company_c = borealis_company_c,
        .nc = N(borealis_company_c),
        .first_names = borealis_first,
        .nfirst = N(borealis_first),
        .last_names = borealis_last,
        .nlast = N(borealis_last),
        .phone_fmt = "+1 416 555 %04d",
        .phone_mod = 10000,
        .categories =
            {
                {"Vehicle fuel",
                 {"Fuel for delivery route", "Diesel for reefer van", "Fuel for client visit"},
                 {"Petro-Canada", "Esso", "Irving"}},
                {"Fleet maintenance",
                 {"Oil and filter change", "Winter tyres", "Reefer unit service"},
                 {"Canadian Tire", "Midas", "Kal Tire"}},
                {"Tolls and parking",
                 {"Highway 407 toll", "Downtown parking", "Bridge toll"},
                 {"407 ETR", "Impark", "Green P"}},
                {"Meals",
                 {"Lunch with client", "Per diem on the road", "Trade show dinner"},
                 {"Tim Hortons", "The Keg", "Local bistro"}},
                {"Lodging",
                 {"Hotel for client visit", "Trade show accommodation",
                  "Overnight on northern route"},
                 {"Fairmont", "Holiday Inn", "Best Western"}},
                {"Office and supplies",
                 {"Office supplies", "Printer toner", "Courier for samples"},
                 {"Staples", "Grand & Toy", "Purolator"}},
            },
        .reject_reasons = borealis_reject,
        .nreject = N(borealis_reject),
        .quote_notes = borealis_notes,
        .nnotes = N(borealis_notes),
        .plate_fmt = "%04d %c%c%c",
    },
};
