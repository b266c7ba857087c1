// Counts heap allocations, per thread, by standing in front of glibc's
// allocator: a program linked with this file calls these functions for
// malloc, calloc, realloc and the aligned variants (the executable's
// definitions come first for every library of the process, the Swift runtime
// included). Each one adds to the calling thread's counters while counting is
// on, then forwards to glibc's own allocator through its exported __libc_*
// entry points, so every block is an ordinary glibc block that glibc's free
// releases. Nothing else changes: the same allocator, the same blocks.
//
// Counting is per thread (thread-local counters), so tests that run at the
// same time on other threads do not disturb a measurement.
//
// Only glibc has the __libc_* entry points; elsewhere nothing is replaced and
// deeprl_allocation_counting_available() says 0.
#include "AllocationCounter.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static __thread int counting __attribute__((tls_model("initial-exec")));
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t allocatedBytes __attribute__((tls_model("initial-exec")));

static inline void count(size_t bytes) {
    if (counting) {
        allocations += 1;
        allocatedBytes += bytes;
    }
}

void *malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void *calloc(size_t number, size_t size) {
    count(number * size);
    return __libc_calloc(number, size);
}

void *realloc(void *pointer, size_t size) {
    count(size);
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    // POSIX: the alignment must be a power of two multiple of sizeof(void *).
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}

int deeprl_allocation_counting_available(void) { return 1; }

void deeprl_allocation_counting_begin(void) {
    allocations = 0;
    allocatedBytes = 0;
    counting = 1;
}

uint64_t deeprl_allocation_counting_end(uint64_t *bytes) {
    counting = 0;
    if (bytes) *bytes = allocatedBytes;
    return allocations;
}

#else

int deeprl_allocation_counting_available(void) { return 0; }
void deeprl_allocation_counting_begin(void) {}
uint64_t deeprl_allocation_counting_end(uint64_t *bytes) {
    if (bytes) *bytes = 0;
    return 0;
}

#endif
