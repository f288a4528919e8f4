/*
 * sdk_check: the SDK calls the examples do not use, one route each, for CppExamplesTest (riscv-sandbox-core).
 * Routes that continue put a JSON report in an X-Report header; the others answer with it as their body.
 *
 *   /fields    HeaderField and HTTP: append, find, value, name, set, set_value, copy, unset, long fields, method
 *   /regex     Regex: shared handles, replace (first, all, groups, growing buffer), fields, unset by regex
 *   /crypto    sha256, hex, base64 both ways, constant_time_equals
 *   /hints     ban, purge, cacheable, ttl, hash_data, set_backend(int), decision("hash")
 *   /rollback  edits, then rollback: the request continues unchanged
 *   /storage   storage_call (integers and strings) against the storage VM's state
 *   /forge-*   the other forge callback forms: captured state and a byte body, string_view body, an exception
 *   /xml       api::xml::Document reads (attribute, text) and writes
 * Named functions: echo, url (the request's URL), throws. Live update hands the storage counter over.
 */
#include <api.h>

#include <stdexcept>

static const api::Regex global_re("^/regex"); // compiled in main(): inherited by every request
static long counter;                          // lives on in the storage VM

static long add(long n, long, long, long)
{
    counter += n;
    return counter;
}

static std::string remember(std::string_view note)
{
    static std::string last;
    std::string previous = last;
    last = note;
    return previous + "|" + (api::is_storage() ? "storage" : "request");
}

[[noreturn]] static void report_and_pass(api::Request req, const nlohmann::json &r)
{
    req.append("X-Report: " + r.dump());
    api::pass();
}

static void fields(api::Request req)
{
    nlohmann::json r;
    api::HeaderField a = req.append("X-A: one");
    r["append_index"] = a.index();
    r["find_any_case"] = req.find("x-a").index() == a.index();
    r["value"] = req["X-A"].value();
    r["name"] = req["X-A"].name();
    r["line"] = req["X-A"].to_string();
    r["set"] = req["X-A"].set("X-A: two");
    r["set_value"] = req["X-A"].set_value("three");
    r["after_set"] = req["X-A"].value();
    r["missing_valid"] = static_cast<bool>(req["X-Missing"]);
    r["missing_value"] = req["X-Missing"].value();
    r["missing_set"] = req["X-Missing"].set("X-Missing: y");
    r["contains"] = req.contains("x-a");
    req.set("X-B", "b1");
    req.set("X-B", "b2");
    req.append("X-C: 1");
    req.append("X-C: 2");
    r["unset_name"] = req.unset("X-C");
    api::HeaderField copy = req.append("X-Copy: placeholder");
    r["copy"] = copy.set(req["X-B"]);
    req += "X-D: d";
    r["url_length"] = req.url().size(); // longer than the first read's 512-byte buffer
    r["head_name"] = req.field(api::FIELD_URL).name();
    r["method"] = req.method();
    r["proto"] = req.proto();
    req.set_method("PUT");
    r["print"] = api::print("sdk-check: ", 42, ' ', -7L, ' ', 1.5, ' ', true, ' ', req["X-A"]);
    report_and_pass(req, r);
}

static void regex(api::Request req)
{
    nlohmann::json r;
    api::Regex a("b+");
    {
        api::Regex b("b+");
        api::Regex c = b;
        r["shared"] = a.index() == b.index() && b.index() == c.index();
    } // b and c are gone; the handle stays for a
    r["match_after_release"] = a.match("abbc");
    r["no_match"] = a.match("xyz");
    r["replace"] = a.replace("abbcb", "X");
    r["replace_all"] = a.replace("abbcb", "X", true);
    r["groups"] = api::Regex("(\\w+)@(\\w+)").replace("bob@example", "\\2 at \\1");
    r["grown"] = api::Regex("b").replace(std::string(3000, 'b'), "xyz", true).size();
    api::HeaderField re = req.append("X-Re: hello world");
    r["regsub"] = re.regsub(api::Regex("o"), "0", true);
    r["regsub_line"] = req["X-Re"].to_string();
    req.append("X-Tmp-1: a");
    req.append("X-Tmp-2: b");
    r["unset_regex"] = req.unset(api::Regex("X-Tmp-.*"));
    r["global"] = global_re.match(req.url());
    report_and_pass(req, r);
}

static void crypto()
{
    nlohmann::json r;
    r["sha256_abc"] = api::hex(api::sha256("abc"));
    r["b64"] = api::base64_encode("hello world");
    r["b64_empty"] = api::base64_encode("");
    r["unb64"] = api::base64_decode("aGVsbG8gd29ybGQ").value_or("?");
    r["unb64_urlsafe"] = api::base64_decode("-_8").value_or("?") == "\xfb\xff";
    r["unb64_invalid"] = api::base64_decode("@@@").has_value();
    r["equal"] = api::constant_time_equals("abc", "abc");
    r["different"] = api::constant_time_equals("abc", "abd");
    r["different_length"] = api::constant_time_equals("abc", "abcd");
    api::synth(200, "application/json", r.dump());
}

static void hints(api::Request req)
{
    api::ban("obj.http.x-tenant == sdk");
    api::purge();
    api::set_cacheable(false);
    api::set_ttl(1.5);
    api::hash_data("key");
    api::hash_data(req["X-Key"]);
    nlohmann::json r;
    r["cacheable"] = api::cacheable();
    r["ttl"] = api::ttl();
    r["backend_256"] = api::set_backend(256);
    r["backend_7"] = api::set_backend(7);
    req.append("X-Report: " + r.dump());
    api::decision("hash", 0);
}

static void storage(api::Request req)
{
    nlohmann::json r;
    r["is_storage"] = api::is_storage();
    api::StorageResult s = api::storage_call(add, 1);
    r["count"] = s.a0;
    r["previous_note"] = api::storage_call(remember, req["X-Note"].value());
    api::synth(200, "application/json", r.dump());
}

static void xml()
{
    nlohmann::json r;
    api::xml::Document doc(R"(<r><item id="a" n="1">first</item><item id="b" n="2">second</item></r>)");
    r["good"] = doc.good();
    r["attribute"] = doc.attribute("//item[@id='b']", "n").value_or("?");
    r["missing_attribute"] = doc.attribute("//item[@id='c']", "n").has_value();
    r["text"] = doc.text("/r/item[1]").value_or("?");
    r["set_attribute"] = doc.set_attribute("//item", "seen", "yes");
    r["bad_xpath"] = doc.set_text("//item[", "x");
    r["set_text"] = doc.set_text("//item[@id='a']", "changed");
    r["serialized"] = doc.serialize();
    api::xml::Document moved = std::move(doc);
    r["moved"] = moved.good() && !doc.good();
    r["not_xml"] = api::xml::Document("<a>").good();
    api::synth(200, "application/json", r.dump());
}

static void on_recv(api::Request req)
{
    const std::string url = req.url();
    const std::string_view path = std::string_view(url).substr(0, url.find('?'));
    if (path == "/fields") {
        fields(req);
    } else if (path == "/regex") {
        regex(req);
    } else if (path == "/crypto") {
        crypto();
    } else if (path == "/hints") {
        hints(req);
    } else if (path == "/rollback") {
        req.append("X-Temp: 1");
        req.set_url("/elsewhere");
        req.rollback();
        api::pass();
    } else if (path == "/storage") {
        storage(req);
    } else if (path == "/forge-bytes") {
        std::string prefix = "got:"; // captured by value: the closure is copied to the heap
        forge(api::Uncached, [prefix](api::Request bereq, api::Response beresp, const std::uint8_t *body,
                                      std::size_t size) {
            std::vector<std::uint8_t> out(prefix.begin(), prefix.end());
            out.insert(out.end(), body, body + size);
            beresp.append("X-Method: " + bereq.method());
            return api::response{201, "application/octet-stream", out};
        });
    } else if (path == "/forge-view") {
        forge(api::Cached, [](api::Request, api::Response, std::string_view body) {
            return api::response{200, "text/plain", body};
        });
    } else if (path == "/forge-throw") {
        forge(api::Uncached, []() -> api::response { throw std::logic_error("forge bug"); });
    } else if (path == "/xml") {
        xml();
    }
}

int main()
{
    api::register_function("echo", [](std::string_view arg) { return std::string(arg); });
    api::register_function("url", [](std::string_view) { return api::Request().url(); });
    api::register_function("throws", [](std::string_view) -> std::string { throw std::runtime_error("function bug"); });
    // "POINTER\nDOCUMENT": the value by JSON Pointer, on the host (549/550) and, to compare, with nlohmann::json
    api::register_function("json_extract", [](std::string_view arg) {
        auto nl = arg.find('\n');
        auto v = api::json_extract(arg.substr(nl + 1), arg.substr(0, nl));
        return v ? *v : std::string("(none)");
    });
    api::register_function("json_valid", [](std::string_view arg) { return std::string(api::json_valid(arg) ? "1" : "0"); });
    api::register_function("json_extract_in_guest", [](std::string_view arg) {
        auto nl = arg.find('\n');
        auto doc = nlohmann::json::parse(arg.substr(nl + 1), nullptr, false);
        nlohmann::json::json_pointer ptr{std::string(arg.substr(0, nl))};
        if (doc.is_discarded() || !doc.contains(ptr)) {
            return std::string("(none)");
        }
        const auto &v = doc.at(ptr);
        return v.is_string() ? v.get<std::string>() : v.dump();
    });
    api::set_on_live_update([] { return std::to_string(counter); });
    api::set_on_resume_update([](std::string_view state) { counter = std::stol(std::string(state)); });
    api::wait_for_requests(on_recv);
}
