/*
 * Linked with the unchanged seed example (hello.cpp) into bin/hello-inspect, for the tests: a function the host can
 * call by name after a request, which reads a header of the request as on_recv left it. The seed example appends
 * "X-Hello: url=..." and then forges its response, so the appended line never reaches the host otherwise.
 *
 * The registration runs as a static initializer, before main(): registrations are allowed until wait_for_requests.
 */
#include <api.h>

static const bool registered = [] {
    api::register_function("request_header", [](std::string_view name) { return api::Request()[name].value(); });
    return true;
}();
