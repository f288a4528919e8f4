/*
 * misbehave: a tenant with bugs, one per path. Each fails only its own request (503; 500 for the forge callback);
 * the tenant and the next request are fine.
 *
 *   /loop         endless loop: the hook runs out of instructions (timeout)
 *   /membomb      allocates and touches 1 MiB blocks until the VM's memory limit stops it
 *   /wild         writes through a wild pointer (page fault)
 *   /stack        unbounded recursion (stack overflow)
 *   /throw        a C++ exception escapes on_recv (the SDK fails the request with its message)
 *   /expect       EXPECT(...) does not hold (assertion failure, host call 501)
 *   /forge-loop   the forge callback loops (500, timeout)
 *   anything else 200 "fine"
 */
#include <api.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

// volatile: the compiler cannot see that the address is constant or that the recursion never ends
static volatile std::uintptr_t wild_address = 16; // nothing is mapped there
static volatile bool forever = true;

static long deep(long n)
{
    volatile char frame[512];
    frame[0] = static_cast<char>(n);
    return forever ? deep(n + 1) + frame[0] : 0;
}

static void on_recv(api::Request req)
{
    const std::string url = req.url();
    if (url == "/loop") {
        for (;;) {
            __asm__ volatile("");
        }
    }
    if (url == "/membomb") {
        std::vector<std::unique_ptr<char[]>> blocks;
        for (;;) {
            blocks.emplace_back(new char[1 << 20]);
            std::memset(blocks.back().get(), 0x55, 1 << 20);
        }
    }
    if (url == "/wild") {
        *reinterpret_cast<volatile int *>(wild_address) = 42;
    }
    if (url == "/stack") {
        api::print("never: ", deep(0));
    }
    if (url == "/throw") {
        throw std::runtime_error("a bug in the tenant");
    }
    if (url == "/expect") {
        EXPECT(url == "/something-else");
    }
    if (url == "/forge-loop") {
        forge(api::Uncached, [] {
            for (;;) {
                __asm__ volatile("");
            }
            return api::response{200};
        });
    }
    api::synth(200, "text/plain", "fine\n");
}

int main()
{
    api::wait_for_requests(on_recv);
}
