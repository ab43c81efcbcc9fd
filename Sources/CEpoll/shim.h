#ifndef ES_CEPOLL_SHIM_H
#define ES_CEPOLL_SHIM_H
// Linux event notification headers that the Glibc module map does not include, and accept4
// (declared by glibc only under _GNU_SOURCE, which would change shared type definitions).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

static inline int es_accept4(int fd, void *address, unsigned int *length, int flags) {
    return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, flags);
}
#endif
