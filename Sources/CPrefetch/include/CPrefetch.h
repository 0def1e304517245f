#ifndef ROBOCHAIN_CPREFETCH_H
#define ROBOCHAIN_CPREFETCH_H

/// Asks the processor to bring the cache line at `address` in, without waiting for it: a
/// hash-table look-up then finds its slot in the cache when it gets there. A hint only: it
/// never faults, whatever the address.
static inline void robochain_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// The same, for a line about to be written.
static inline void robochain_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
