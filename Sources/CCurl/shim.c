#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// Every definition in this file stays inside the binary (hidden visibility): libcurl's own calls to its
// exported functions must never resolve to the forwarders below.
#pragma GCC visibility push(hidden)
#define CURL_DISABLE_TYPECHECK  /* the typecheck macros only wrap direct curl_easy_setopt calls; there are none */
#include "shim.h"

const char *const es_curl_soname = "libcurl.so.4";

// The functions ESHTTPClient uses: (curl's name, field in the table).
#define ES_CURL_FUNCTIONS(X) \
    X(curl_global_init, global_init) \
    X(curl_easy_init, easy_init) \
    X(curl_easy_cleanup, easy_cleanup) \
    X(curl_easy_reset, easy_reset) \
    X(curl_easy_setopt, easy_setopt) \
    X(curl_easy_getinfo, easy_getinfo) \
    X(curl_easy_strerror, easy_strerror) \
    X(curl_multi_init, multi_init) \
    X(curl_multi_setopt, multi_setopt) \
    X(curl_multi_add_handle, multi_add_handle) \
    X(curl_multi_remove_handle, multi_remove_handle) \
    X(curl_multi_perform, multi_perform) \
    X(curl_multi_poll, multi_poll) \
    X(curl_multi_wakeup, multi_wakeup) \
    X(curl_multi_info_read, multi_info_read) \
    X(curl_slist_append, slist_append) \
    X(curl_slist_free_all, slist_free_all)

// Pointer types come from curl's own declarations, so a signature mismatch cannot compile.
struct es_curl_api {
#define ES_CURL_FIELD(function, field) __typeof__(&function) field;
    ES_CURL_FUNCTIONS(ES_CURL_FIELD)
#undef ES_CURL_FIELD
};

static struct es_curl_api api;
static pthread_once_t load_once_control = PTHREAD_ONCE_INIT;
static int load_failed;
static char load_error[512];

static int open_library(const char *soname, struct es_curl_api *out, void **library, char *error, size_t capacity) {
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(error, capacity, "%s", reason ? reason : "dlopen failed");
        return 1;
    }
#define ES_CURL_RESOLVE(function, field) \
    dlerror(); \
    out->field = (__typeof__(out->field))dlsym(handle, #function); \
    if (!out->field) { \
        const char *reason = dlerror(); \
        snprintf(error, capacity, "%s", reason ? reason : "undefined symbol: " #function); \
        dlclose(handle); \
        return 1; \
    }
    ES_CURL_FUNCTIONS(ES_CURL_RESOLVE)
#undef ES_CURL_RESOLVE
    *library = handle;
    return 0;
}

static void load(void) {
    void *library;
    if (open_library(es_curl_soname, &api, &library, load_error, sizeof load_error)) {
        load_failed = 1;
        return;
    }
    CURLcode code = api.global_init(CURL_GLOBAL_ALL);
    if (code != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed: %s", api.easy_strerror(code));
        load_failed = 1;
    }
    // The library stays open for the life of the process.
}

const char *es_curl_load(void) {
    pthread_once(&load_once_control, load);
    return load_failed ? load_error : NULL;
}

int es_curl_check_library(const char *soname, char *error, size_t capacity) {
    struct es_curl_api probe;
    void *library;
    if (open_library(soname, &probe, &library, error, capacity)) return 1;
    dlclose(library);
    return 0;
}

// Forwarders under curl's names (valid only after es_curl_load() returned NULL).
CURL *curl_easy_init(void) { return api.easy_init(); }
void curl_easy_cleanup(CURL *h) { api.easy_cleanup(h); }
void curl_easy_reset(CURL *h) { api.easy_reset(h); }
const char *curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }
CURLM *curl_multi_init(void) { return api.multi_init(); }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) { return api.multi_add_handle(m, h); }
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) { return api.multi_remove_handle(m, h); }
CURLMcode curl_multi_perform(CURLM *m, int *running) { return api.multi_perform(m, running); }
CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int count, int timeout_ms, int *ret) {
    return api.multi_poll(m, extra, count, timeout_ms, ret);
}
CURLMcode curl_multi_wakeup(CURLM *m) { return api.multi_wakeup(m); }
CURLMsg *curl_multi_info_read(CURLM *m, int *remaining) { return api.multi_info_read(m, remaining); }
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *line) { return api.slist_append(list, line); }
void curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

// Typed wrappers for the variadic functions.
CURLcode es_curl_easy_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode es_curl_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) { return api.easy_setopt(h, o, v); }
CURLcode es_curl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return api.easy_setopt(h, o, v); }
CURLcode es_curl_easy_setopt_write(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *)) {
    return api.easy_setopt(h, o, f);
}
CURLcode es_curl_easy_setopt_xferinfo(CURL *h, int (*f)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}
CURLcode es_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLMcode es_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return api.multi_setopt(m, o, v); }

#pragma GCC visibility pop
