/*
 * api/native_heap.hpp: opt-in: routes C++ operator new/delete to the host-managed heap (host calls 580/583).
 *
 * Include it in exactly ONE source file of a tenant (replacement allocation functions cannot be inline). malloc()
 * and C code keep glibc's allocator.
 *
 * Trade-off, measured on the seed example and a 200-entry JSON document (docs/guest-cpp.md, "Allocator"): requests
 * run about 30 % faster in wall-clock time, but every allocation is billed 2000 instructions, so a request uses
 * 3-6 times more of its instruction budget (max_instructions). The default (glibc's allocator) is the better choice
 * unless wall-clock time matters more than the budget.
 */
#ifndef RISCV_SANDBOX_API_NATIVE_HEAP_HPP
#define RISCV_SANDBOX_API_NATIVE_HEAP_HPP

#include <api_c.h>

#include <cstddef>
#include <new>

void *operator new(std::size_t size)
{
    void *p = api_native_malloc(size ? size : 1);
    if (p == nullptr) {
#if __cpp_exceptions
        throw std::bad_alloc();
#else
        __builtin_trap();
#endif
    }
    return p;
}
void *operator new[](std::size_t size) { return operator new(size); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept { return api_native_malloc(size ? size : 1); }
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept { return api_native_malloc(size ? size : 1); }
void operator delete(void *p) noexcept { api_native_free(p); }
void operator delete[](void *p) noexcept { api_native_free(p); }
void operator delete(void *p, std::size_t) noexcept { api_native_free(p); }
void operator delete[](void *p, std::size_t) noexcept { api_native_free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { api_native_free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { api_native_free(p); }

#endif
