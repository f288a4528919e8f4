/*
 * deliver: edits the application's response head in on_deliver.
 *
 * on_recv gives each request an X-Request-Id (unless it has one); on_deliver adds "X-Goodbye: RISCV", copies the
 * request's X-Request-Id into the response, removes Server and every X-Internal-* header (foreach), counts what it
 * removed, and asks clients to retry later when the application failed with 503.
 */
#include <api.h>

static void on_recv(api::Request req)
{
    if (!req.contains("X-Request-Id")) {
        req.append("X-Request-Id: riscv-" + api::hex(api::sha256(req.url())).substr(0, 12));
    }
}

static void on_deliver(api::Request req, api::Response resp)
{
    resp.append("X-Goodbye: RISCV");
    req["X-Request-Id"].append_to(resp); // a copy of the request's header line

    std::size_t removed = resp.unset("Server");
    resp.foreach([&](api::HeaderField &field) {
        if (field.name().compare(0, 11, "X-Internal-") == 0) {
            field.unset(); // removed after foreach returns
            removed++;
        }
    });
    resp.append("X-Removed-Headers: " + std::to_string(removed));

    if (resp.status() == 503) {
        resp.set("Retry-After", "5");
    }
}

int main()
{
    api::set_on_deliver(on_deliver);
    api::wait_for_requests(on_recv);
}
