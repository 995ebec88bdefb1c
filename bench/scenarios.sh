# Dashboard scenarios for bench/run (sourced): name|path|extra header. The kpis
# answer is warmed by bench/run's first curl; the 304 line sends its ETag.
SCENARIOS+=(
    "kpis_cached|/api/v1/dashboard/kpis|"
    "kpis_304|/api/v1/dashboard/kpis|@etag"
    "kpis_uncached|/api/v1/dashboard/kpis|X-Onquota-Bench: no-cache"
)
