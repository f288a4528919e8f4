/*
 * token: requests must carry "Authorization: Bearer <base64(token)>" where SHA-256(token) equals the digest of the
 * tenant's secret (its first argument in tenants.json; "open sesame" by default). Others get a 403 JSON answer.
 * Accepted requests continue without the Authorization header, with X-Authenticated and a token fingerprint.
 */
#include <api.h>

static api::Digest expected; // set by main(): every request sees it, none can change it for the next

[[noreturn]] static void deny(const char *reason)
{
    nlohmann::json j;
    j["error"] = "forbidden";
    j["reason"] = reason;
    api::synth(403, "application/json", j.dump());
}

static void on_recv(api::Request req)
{
    api::HeaderField auth = req["Authorization"];
    if (!auth) {
        deny("missing token");
    }
    const std::string value = auth.value();
    constexpr std::string_view scheme = "Bearer ";
    if (value.compare(0, scheme.size(), scheme) != 0) {
        deny("not a bearer token");
    }
    std::optional<std::string> token = api::base64_decode(std::string_view(value).substr(scheme.size()));
    if (!token || token->empty()) {
        deny("token is not base64");
    }
    api::Digest digest = api::sha256(*token);
    if (!api::constant_time_equals(digest, expected)) {
        deny("wrong token");
    }
    auth.unset(); // the application never sees the secret
    req.append("X-Authenticated: yes");
    req.append("X-Token-Id: " + api::hex(digest).substr(0, 16));
    api::pass();
}

int main(int argc, char **argv)
{
    expected = api::sha256(argc > 1 ? argv[1] : "open sesame");
    api::wait_for_requests(on_recv);
}
