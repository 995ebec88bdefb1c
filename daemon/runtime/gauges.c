/* Gauges of the moment for /metrics: process figures, dependencies, requests in flight, jobs. */
#include "runtime/gauges.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define JOB_NAMES_MAX 16
#define JOB_NAME_MAX 48

static const char *const dependency_names[GAUGE_DEPENDENCY_COUNT] = {
    [GAUGE_DATABASE] = "database",
    [GAUGE_DATABASE_READ] = "database_read",
    [GAUGE_REDIS] = "redis",
};

/* -1 before the first check, else 0 or 1 */
static _Atomic int dependency_up[GAUGE_DEPENDENCY_COUNT] = {-1, -1, -1};
static atomic_long inflight, connections;

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[JOB_NAME_MAX];
    double at; /* seconds since the epoch */
} jobs[JOB_NAMES_MAX];
static size_t njobs;

void gauges_dependency(enum gauge_dependency dep, bool up)
{
    if ((unsigned)dep < GAUGE_DEPENDENCY_COUNT)
        atomic_store(&dependency_up[dep], up ? 1 : 0);
}

void gauges_inflight_add(int delta)
{
    atomic_fetch_add(&inflight, delta);
}

void gauges_connections_add(int delta)
{
    atomic_fetch_add(&connections, delta);
}

void gauges_job_success(const char *job)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pthread_mutex_lock(&jobs_lock);
    size_t i = 0;
    while (i < njobs && strcmp(jobs[i].name, job) != 0)
        i++;
    if (i == njobs && njobs < JOB_NAMES_MAX)
        snprintf(jobs[njobs++].name, JOB_NAME_MAX, "%s", job);
    if (i < njobs)
        jobs[i].at = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    pthread_mutex_unlock(&jobs_lock);
}

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Appends s as a label value: backslash, double quote and newline escaped. */
static void label_value(struct buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            buf_addc(out, '\\');
        if (*s == '\n')
            buf_adds(out, "\\n");
        else
            buf_addc(out, *s);
    }
}

/* User plus system CPU time from /proc/self/stat (fields 14 and 15, in
 * clock ticks, after the parenthesised command name). */
static bool cpu_seconds(double *out)
{
    char line[1024];
    FILE *f = fopen("/proc/self/stat", "re");
    if (!f)
        return false;
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    const char *p = ok ? strrchr(line, ')') : NULL;
    unsigned long utime, stime;
    long hz = sysconf(_SC_CLK_TCK);
    if (!p || hz <= 0 ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return false;
    *out = (double)(utime + stime) / (double)hz;
    return true;
}

static long open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

static void render_process(struct buf *out)
{
    double cpu;
    if (cpu_seconds(&cpu)) {
        family(out, "process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.");
        buf_printf(out, "process_cpu_seconds_total %.2f\n", cpu);
    }
    long fds = open_fds();
    if (fds >= 0) {
        family(out, "process_open_fds", "gauge", "Number of open file descriptors.");
        buf_printf(out, "process_open_fds %ld\n", fds);
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
        buf_printf(out, "process_max_fds %llu\n", (unsigned long long)rl.rlim_cur);
    }
}

void gauges_render(struct buf *out)
{
    render_process(out);
    family(out, "onquota_dependency_up", "gauge",
           "Whether the dependency answered its last readiness check (1) or not (0).");
    for (int i = 0; i < GAUGE_DEPENDENCY_COUNT; i++) {
        int up = atomic_load(&dependency_up[i]);
        if (up >= 0)
            buf_printf(out, "onquota_dependency_up{dependency=\"%s\"} %d\n", dependency_names[i],
                       up);
    }
    family(out, "onquota_http_requests_in_flight", "gauge",
           "HTTP requests received and not answered yet.");
    buf_printf(out, "onquota_http_requests_in_flight %ld\n", atomic_load(&inflight));
    family(out, "onquota_http_connections_open", "gauge", "Open client connections.");
    buf_printf(out, "onquota_http_connections_open %ld\n", atomic_load(&connections));
    family(out, "onquota_job_last_success_timestamp_seconds", "gauge",
           "When each background job last succeeded, in seconds since the epoch.");
    pthread_mutex_lock(&jobs_lock);
    for (size_t i = 0; i < njobs; i++) {
        buf_adds(out, "onquota_job_last_success_timestamp_seconds{job=\"");
        label_value(out, jobs[i].name);
        buf_printf(out, "\"} %.3f\n", jobs[i].at);
    }
    pthread_mutex_unlock(&jobs_lock);
}
