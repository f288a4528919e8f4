/*
 * xml: edits a posted MPEG-DASH manifest with the host's XML calls (542-548).
 *
 * POST a manifest: the response is the same document with bandwidth="12345678" on <Representation id="video1">
 * (application/xml, uncached; X-Changed tells how many elements were changed). Without a body: a small document
 * built the same way. A body that is not well-formed XML gets 400.
 */
#include <api.h>

// local-name(): matches the element whether or not the host's parser binds the DASH namespace
static constexpr std::string_view VIDEO1 = "//*[local-name()='Representation'][@id='video1']";

static constexpr std::string_view GREETING =
    R"(<?xml version="1.0" encoding="UTF-8"?><greeting><text/><url/></greeting>)";

static api::response edit(api::Request bereq, api::Response beresp, std::string_view body)
{
    if (body.empty()) {
        api::xml::Document doc(GREETING);
        if (!doc) {
            return api::response{500, "text/plain", "XML documents are not available\n"};
        }
        doc.set_text("/greeting/text", "Hello from RISC-V!");
        doc.set_text("/greeting/url", bereq.url());
        return api::response{200, "application/xml", doc.serialize()};
    }
    api::xml::Document doc(body);
    if (!doc) {
        return api::response{400, "text/plain", "not well-formed XML\n"};
    }
    long changed = doc.set_attribute(VIDEO1, "bandwidth", "12345678");
    beresp.append("X-Changed: " + std::to_string(changed));
    return api::response{200, "application/xml", doc.serialize()};
}

static void on_recv(api::Request req)
{
    forge(api::Uncached, edit);
}

int main()
{
    api::wait_for_requests(on_recv);
}
