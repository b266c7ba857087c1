// Counting the heap allocations of one thread, for the allocation tests and
// `deeprl bench` (see AllocationCounter.c).
#ifndef DEEPRL_ALLOCATION_COUNTER_H
#define DEEPRL_ALLOCATION_COUNTER_H

#include <stdint.h>

/// 1 if this build counts allocations (Linux with glibc), else 0.
int deeprl_allocation_counting_available(void);

/// Starts counting the calling thread's allocations from zero.
void deeprl_allocation_counting_begin(void);

/// Stops counting on the calling thread; returns the number of allocations
/// (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) since
/// the begin, and stores their requested bytes in *bytes.
uint64_t deeprl_allocation_counting_end(uint64_t *bytes);

#endif
