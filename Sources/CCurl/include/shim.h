#ifndef ES_CCURL_SHIM_H
#define ES_CCURL_SHIM_H
// libcurl, opened lazily. curl's headers (libcurl4-openssl-dev) give the types and constants; the
// functions Swift calls (curl_easy_init, curl_multi_perform, ...) are defined in shim.c as forwarders
// to the library opened by es_curl_load(), so callers keep curl's own names. Only the functions listed
// in shim.c exist; calling any other curl function fails at link time, by design.
#include <curl/curl.h>
#include <stddef.h>

/// Opens libcurl.so.4 (RTLD_NOW | RTLD_LOCAL), resolves the functions below and runs
/// curl_global_init(CURL_GLOBAL_ALL), exactly once per process (thread-safe). Returns NULL on success,
/// otherwise why loading failed (dlerror's text, or curl_global_init's). Every other function in this
/// header may be called only after es_curl_load() returned NULL.
const char *es_curl_load(void);

/// The library es_curl_load() opens.
extern const char *const es_curl_soname;

/// Opens `soname` and resolves every function es_curl_load() needs, without installing anything, then
/// closes it again. Returns 0 when the library would load; otherwise 1 with the reason in `error`.
int es_curl_check_library(const char *soname, char *error, size_t capacity);

// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic: typed wrappers.
CURLcode es_curl_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode es_curl_easy_setopt_ptr(CURL *h, CURLoption o, const void *v);
CURLcode es_curl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode es_curl_easy_setopt_write(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *));
CURLcode es_curl_easy_setopt_xferinfo(CURL *h, int (*f)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t));
CURLcode es_curl_easy_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLMcode es_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v);
#endif
