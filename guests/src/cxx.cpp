// cxx: C++17 standard library workout for the rv64 glibc target: iostream, string, vector, map,
// unordered_map, sort, optional, exceptions (std::runtime_error, a custom type, std::stoi), virtual
// dispatch, std::function, RAII destructors during unwinding. Output is deterministic: unordered_map
// contents are sorted before printing.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Shape {
    virtual ~Shape() = default;
    virtual std::string name() const = 0;
    virtual double area() const = 0;
};

struct Rect : Shape {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    std::string name() const override { return "rect"; }
    double area() const override { return w * h; }
};

struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};

struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    std::string name() const override { return "circle"; }
    double area() const override { return 3.0 * r * r; } // integer-friendly "pi"
};

struct ParseError {
    std::string what;
    int position;
};

class Tracer {
public:
    explicit Tracer(std::string n) : name_(std::move(n)) { std::cout << "  enter " << name_ << '\n'; }
    ~Tracer() { std::cout << "  leave " << name_ << '\n'; }
    Tracer(const Tracer &) = delete;
    Tracer &operator=(const Tracer &) = delete;

private:
    std::string name_;
};

int parse_digit(const std::string &s, int pos)
{
    Tracer t("parse_digit");
    if (pos >= static_cast<int>(s.size()))
        throw std::out_of_range("position " + std::to_string(pos) + " past end");
    if (s[pos] < '0' || s[pos] > '9')
        throw ParseError{ "not a digit: '" + std::string(1, s[pos]) + "'", pos };
    return s[pos] - '0';
}

std::optional<int> find_first_even(const std::vector<int> &v)
{
    for (int x : v)
        if (x % 2 == 0)
            return x;
    return std::nullopt;
}

void strings_and_streams()
{
    std::cout << "== strings ==\n";
    std::string s = "The quick brown fox jumps over the lazy dog";
    std::cout << "length " << s.size() << ", find(\"fox\") " << s.find("fox") << ", substr " << s.substr(4, 5) << '\n';
    std::string upper = s;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::cout << upper << '\n';
    std::istringstream in(s);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    std::sort(words.begin(), words.end(), [](const std::string &a, const std::string &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    std::ostringstream joined;
    for (size_t i = 0; i < words.size(); i++)
        joined << (i ? "," : "") << words[i];
    std::cout << "sorted words: " << joined.str() << '\n';
    std::string big;
    for (int i = 0; i < 1000; i++)
        big += std::to_string(i);
    std::cout << "concatenated 0..999: " << big.size() << " chars, ends with " << big.substr(big.size() - 6) << '\n';
    std::cout << std::hex << std::setw(8) << std::setfill('0') << 48879 << std::dec << ' ' << std::setprecision(10)
              << 2.0 / 3.0 << ' ' << std::fixed << std::setprecision(3) << 1.0 / 7.0 << '\n';
    std::cout.unsetf(std::ios::floatfield);
}

void containers()
{
    std::cout << "== containers ==\n";
    std::vector<int> v;
    uint32_t x = 12345;
    for (int i = 0; i < 200; i++) {
        x = x * 1103515245u + 12345u;
        v.push_back(static_cast<int>((x >> 16) % 1000));
    }
    std::sort(v.begin(), v.end());
    std::cout << "min " << v.front() << " max " << v.back() << " median " << v[v.size() / 2]
              << " sum " << std::accumulate(v.begin(), v.end(), 0L) << '\n';
    v.erase(std::unique(v.begin(), v.end()), v.end());
    std::cout << "distinct " << v.size() << ", binary_search(500) " << std::binary_search(v.begin(), v.end(), 500) << '\n';

    std::map<std::string, int> counts;
    std::unordered_map<std::string, int> lengths;
    const char *text[] = { "alpha", "beta", "gamma", "beta", "delta", "alpha", "beta", "epsilon", "zeta", "eta" };
    for (const char *w : text) {
        counts[w]++;
        lengths.emplace(w, static_cast<int>(std::string(w).size()));
    }
    for (const auto &[k, n] : counts)
        std::cout << k << '=' << n << ' ';
    std::cout << '\n';
    std::vector<std::pair<std::string, int>> sorted(lengths.begin(), lengths.end());
    std::sort(sorted.begin(), sorted.end());
    std::cout << "unordered_map size " << lengths.size() << ":";
    for (const auto &[k, n] : sorted)
        std::cout << ' ' << k << ':' << n;
    std::cout << '\n';

    std::unordered_map<int, int> squares;
    for (int i = 0; i < 5000; i++)
        squares[i] = i * i;
    long total = 0;
    for (int i = 0; i < 5000; i += 7)
        total += squares.at(i);
    std::cout << "unordered_map<int,int> 5000 entries, sampled sum " << total << '\n';

    auto even = find_first_even({ 1, 3, 5, 6, 7 });
    auto none = find_first_even({ 1, 3, 5 });
    std::cout << "optional: " << (even ? std::to_string(*even) : "none") << ", " << none.value_or(-1) << '\n';
}

void polymorphism()
{
    std::cout << "== virtual dispatch ==\n";
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Rect>(2, 3));
    shapes.push_back(std::make_unique<Square>(4));
    shapes.push_back(std::make_unique<Circle>(1));
    double sum = 0;
    for (const auto &s : shapes) {
        std::cout << s->name() << " area " << s->area() << '\n';
        sum += s->area();
    }
    std::cout << "total area " << sum << '\n';
    const Shape &ref = *shapes[1];
    std::cout << "dynamic_cast<const Rect*>(square) " << (dynamic_cast<const Rect *>(&ref) != nullptr)
              << ", <const Circle*> " << (dynamic_cast<const Circle *>(&ref) != nullptr) << '\n';

    std::vector<std::function<int(int)>> pipeline;
    int offset = 10;
    pipeline.emplace_back([](int v) { return v * 2; });
    pipeline.emplace_back([offset](int v) { return v + offset; });
    pipeline.emplace_back([](int v) { return v * v; });
    std::function<int(int)> composed = [&pipeline](int v) {
        for (auto &f : pipeline)
            v = f(v);
        return v;
    };
    std::cout << "std::function pipeline(3) = " << composed(3) << ", (0) = " << composed(0) << '\n';
}

void exceptions()
{
    std::cout << "== exceptions ==\n";
    try {
        throw std::runtime_error("plain runtime_error");
    } catch (const std::exception &e) {
        std::cout << "caught std::exception: " << e.what() << '\n';
    }
    const std::string input = "12x";
    for (int pos = 0; pos < 4; pos++) {
        try {
            int d = parse_digit(input, pos);
            std::cout << "digit " << d << '\n';
        } catch (const ParseError &e) {
            std::cout << "caught ParseError at " << e.position << ": " << e.what << '\n';
        } catch (const std::out_of_range &e) {
            std::cout << "caught out_of_range: " << e.what() << '\n';
        }
    }
    for (const char *s : { "42", "-17", "0x1f", "abc", "99999999999" }) {
        try {
            size_t used = 0;
            int v = std::stoi(s, &used, 0);
            std::cout << "stoi(\"" << s << "\") = " << v << " (" << used << " chars)\n";
        } catch (const std::invalid_argument &) {
            std::cout << "stoi(\"" << s << "\") threw invalid_argument\n";
        } catch (const std::out_of_range &) {
            std::cout << "stoi(\"" << s << "\") threw out_of_range\n";
        }
    }
    try {
        std::vector<int> small(3);
        std::cout << small.at(5) << '\n';
    } catch (const std::out_of_range &) {
        std::cout << "vector::at threw out_of_range\n";
    }
    try {
        try {
            throw 7;
        } catch (int v) {
            std::cout << "caught int " << v << ", rethrowing as logic_error\n";
            throw std::logic_error("converted from int " + std::to_string(v));
        }
    } catch (const std::logic_error &e) {
        std::cout << "caught logic_error: " << e.what() << '\n';
    }
    std::exception_ptr ep;
    try {
        throw std::runtime_error("stored");
    } catch (...) {
        ep = std::current_exception();
    }
    try {
        std::rethrow_exception(ep);
    } catch (const std::runtime_error &e) {
        std::cout << "rethrown exception_ptr: " << e.what() << '\n';
    }
}

} // namespace

int main(int argc, char **argv)
{
    std::cout << "C++17 on rv64, argc " << argc << ", argv[0] " << argv[0] << '\n';
    strings_and_streams();
    containers();
    polymorphism();
    exceptions();
    std::cout << "done" << std::endl;
    return 0;
}
