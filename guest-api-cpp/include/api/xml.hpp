/*
 * api/xml.hpp: XML documents parsed and edited by the host (host calls 542-548), included by api.h.
 *
 *     api::xml::Document doc(body);                      // parse; doc.good() is false if not well-formed
 *     doc.set_attribute("//Representation[@id='video1']", "bandwidth", "12345678");
 *     return api::response{200, "application/xml", doc.serialize()};
 *
 * Documents live on the host, at most 4 per VM; a Document frees its handle when destroyed. XPath expressions are
 * XPath 1.0, at most 1 KiB; documents at most 4 MiB, without a DOCTYPE.
 */
#ifndef RISCV_SANDBOX_API_XML_HPP
#define RISCV_SANDBOX_API_XML_HPP

#include <api_c.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace api::xml {

class Document {
public:
    /** An empty (not good) document. */
    Document() noexcept = default;

    /** Parses a document; good() tells whether it was well-formed (and had no DOCTYPE). */
    explicit Document(std::string_view text) : handle_(api_xml_parse(text.data(), text.size())) {}

    Document(const Document &) = delete;
    Document &operator=(const Document &) = delete;
    Document(Document &&o) noexcept : handle_(std::exchange(o.handle_, -1)) {}
    Document &operator=(Document &&o) noexcept
    {
        if (this != &o) {
            close();
            handle_ = std::exchange(o.handle_, -1);
        }
        return *this;
    }
    ~Document() { close(); }

    bool good() const noexcept { return handle_ >= 0; }
    explicit operator bool() const noexcept { return good(); }
    int handle() const noexcept { return handle_; }

    /** Sets attribute `name` on every element the XPath selects; the number changed, -1 for an invalid XPath. */
    long set_attribute(std::string_view xpath, std::string_view name, std::string_view value)
    {
        if (!good()) {
            return -1;
        }
        return api_xml_set_attribute(handle_, xpath.data(), xpath.size(), name.data(), name.size(), value.data(),
                                     value.size());
    }

    /** The attribute of the first element the XPath selects; nullopt if there is none. */
    std::optional<std::string> attribute(std::string_view xpath, std::string_view name) const
    {
        return read([&](char *dst, std::size_t size) {
            return api_xml_get_attribute(handle_, xpath.data(), xpath.size(), name.data(), name.size(), dst, size);
        });
    }

    /** Replaces the text of every element the XPath selects; the number changed, -1 for an invalid XPath. */
    long set_text(std::string_view xpath, std::string_view text)
    {
        if (!good()) {
            return -1;
        }
        return api_xml_set_text(handle_, xpath.data(), xpath.size(), text.data(), text.size());
    }

    /** The text of the first element the XPath selects; nullopt if there is none. */
    std::optional<std::string> text(std::string_view xpath) const
    {
        return read([&](char *dst, std::size_t size) {
            return api_xml_get_text(handle_, xpath.data(), xpath.size(), dst, size);
        });
    }

    /** The document as text ("" if it is not good). */
    std::string serialize() const
    {
        if (!good()) {
            return {};
        }
        long n = api_xml_serialize(handle_, nullptr, 0);
        if (n < 0) {
            return {};
        }
        std::string s(static_cast<std::size_t>(n) + 1, '\0');
        n = api_xml_serialize(handle_, s.data(), s.size());
        s.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
        return s;
    }

    /** Frees the document now (the destructor does it otherwise). */
    void close() noexcept
    {
        if (handle_ >= 0) {
            api_xml_free(handle_);
            handle_ = -1;
        }
    }

private:
    /**
     * The get calls answer -1 both for "none" and for "too small", and cannot report the length needed: try a
     * 4 KiB buffer, then 256 KiB. Longer values read as nullopt.
     */
    template <class Get>
    std::optional<std::string> read(Get get) const
    {
        if (!good()) {
            return std::nullopt;
        }
        char small[4096];
        long n = get(small, sizeof small);
        if (n >= 0 && static_cast<std::size_t>(n) <= sizeof small) {
            return std::string(small, static_cast<std::size_t>(n));
        }
        std::string big(256 * 1024, '\0');
        n = get(big.data(), big.size());
        if (n < 0 || static_cast<std::size_t>(n) > big.size()) {
            return std::nullopt;
        }
        big.resize(static_cast<std::size_t>(n));
        return big;
    }

    int handle_ = -1;
};

} // namespace api::xml

#endif
