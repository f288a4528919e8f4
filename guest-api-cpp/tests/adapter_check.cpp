/*
 * adapter_check: a tenant the adapter tests (servlet filter, Jetty handler) steer through request headers, for the
 * cases the examples do not reach.
 *
 *   on_recv     X-To: URL      the request continues with that URL (path and query, as given)
 *   on_deliver  adds "X-Delivered: 1"; X-Status: N sets the response status to N
 */
#include <api.h>

#include <string>

static void on_recv(api::Request req)
{
    if (auto to = req["X-To"]) {
        req.set_url(to.value());
    }
    api::pass();
}

static void on_deliver(api::Request req, api::Response resp)
{
    resp.append("X-Delivered: 1");
    if (auto status = req["X-Status"]) {
        resp.set_status(std::stoi(std::string(status.value())));
    }
}

int main()
{
    api::set_on_deliver(on_deliver);
    api::wait_for_requests(on_recv);
}
