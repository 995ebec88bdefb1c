# Dashboard scenarios for bench/run (sourced): name|path|extra header. The kpis
# answer is warmed by bench/run's first curl; the 304 line sends its ETag.
SCENARIOS+=(
    "kpis_cached|/api/v1/dashboard/kpis|"
    "kpis_304|/api/v1/dashboard/kpis|@etag"
    "kpis_uncached|/api/v1/dashboard/kpis|X-Onquota-Bench: no-cache"
)
# Resource lists (operations.md: a quotes page of 100 at scale 20, at most 3 statements).
SCENARIOS+=(
    "quotes_page100|/api/v1/sales/quotes?page_size=100|"
)
