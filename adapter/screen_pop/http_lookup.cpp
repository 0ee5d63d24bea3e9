#include "screen_pop/http_lookup.hpp"

#include <map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "logging/logging.hpp"
#include "screen_pop/lookup_response.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr std::size_t max_answer_bytes = 256 * 1024;
constexpr std::size_t max_cached_numbers = 1000;

// http://HOST[:PORT]/TARGET, split for the request. The config only lets loopback hosts in.
struct Target {
    std::string address;  // 127.0.0.1 or ::1
    std::string host;     // the Host header
    unsigned short port = 80;
    std::string path = "/";
};

std::optional<Target> split_url(const std::string& url) {
    const std::string rest = url.substr(std::string_view("http://").size());
    const auto slash = rest.find('/');
    Target target;
    target.host = rest.substr(0, slash);
    if (slash != std::string::npos) target.path = rest.substr(slash);
    std::string name = target.host;
    const auto colon = name.rfind(':');
    if (colon != std::string::npos && name.back() != ']') {
        try {
            target.port = static_cast<unsigned short>(std::stoi(name.substr(colon + 1)));
        } catch (const std::exception&) {
            return std::nullopt;
        }
        name = name.substr(0, colon);
    }
    target.address = name == "[::1]" ? "::1" : "127.0.0.1";
    return target;
}

}  // namespace

struct HttpLookup::State {
    struct Cached {
        std::chrono::steady_clock::time_point expires;
        std::vector<Contact> contacts;
    };

    State(net::io_context& context, HttpLookupOptions options_in, PhoneNumbers numbers_in)
        : strand(net::make_strand(context)), options(std::move(options_in)), numbers(std::move(numbers_in)) {}

    const std::vector<Contact>* cached(const std::string& number) {
        auto it = cache.find(number);
        if (it == cache.end()) return nullptr;
        if (it->second.expires > std::chrono::steady_clock::now()) return &it->second.contacts;
        cache.erase(it);
        return nullptr;
    }

    void remember(const std::string& number, const std::vector<Contact>& contacts) {
        if (options.cache_time.count() == 0) return;
        if (cache.size() >= max_cached_numbers) cache.clear();  // a burst of new callers: start afresh
        cache[number] = {std::chrono::steady_clock::now() + options.cache_time, contacts};
    }

    net::strand<net::io_context::executor_type> strand;
    HttpLookupOptions options;
    PhoneNumbers numbers;
    std::map<std::string, Cached> cache;
};

namespace {

// One GET, from connect to the parsed answer, under one deadline.
class LookupRequest : public std::enable_shared_from_this<LookupRequest> {
public:
    LookupRequest(std::shared_ptr<HttpLookup::State> state, std::string number, Target target, HttpLookup::Done done)
        : state_(std::move(state)),
          stream_(state_->strand),
          number_(std::move(number)),
          target_(std::move(target)),
          done_(std::move(done)) {}

    void start() {
        stream_.expires_after(state_->options.timeout);
        boost::system::error_code ec;
        const tcp::endpoint endpoint(net::ip::make_address(target_.address, ec), target_.port);
        stream_.async_connect(endpoint, beast::bind_front_handler(&LookupRequest::on_connect, shared_from_this()));
    }

private:
    void on_connect(beast::error_code ec) {
        if (ec) return fail("cannot connect", ec);
        request_.method(http::verb::get);
        request_.target(target_.path);
        request_.version(11);
        request_.set(http::field::host, target_.host);
        request_.set(http::field::accept, "application/json");
        request_.set(http::field::user_agent, "cti-adapter");
        http::async_write(stream_, request_, beast::bind_front_handler(&LookupRequest::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (ec) return fail("cannot send the request", ec);
        parser_.body_limit(max_answer_bytes);
        http::async_read(stream_, buffer_, parser_, beast::bind_front_handler(&LookupRequest::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        if (ec) return fail("no answer", ec);
        const auto& response = parser_.get();
        if (response.result() != http::status::ok)
            return finish({}, "answered HTTP " + std::to_string(response.result_int()));
        auto answer = parse_lookup_response(response.body(), state_->numbers);
        if (auto* problem = std::get_if<std::string>(&answer)) return finish({}, *problem);
        auto& found = std::get<LookupAnswer>(answer);
        for (const auto& problem : found.problems)
            spdlog::warn("caller lookup at {}: {}; record skipped", target_.host, printable(problem, 200));
        state_->remember(number_, found.contacts);
        finish(std::move(found.contacts), {});
    }

    void fail(const char* what, beast::error_code ec) {
        const bool timed_out = ec == beast::error::timeout;
        finish({}, timed_out ? "no answer within " + std::to_string(state_->options.timeout.count()) + " ms"
                             : std::string(what) + ": " + ec.message());
    }

    void finish(std::vector<Contact> contacts, const std::string& problem) {
        if (!problem.empty())
            spdlog::warn("caller lookup of {} at {} failed ({}); treated as no match", masked(number_),
                         target_.host, printable(problem, 200));
        if (auto done = std::exchange(done_, nullptr)) done(std::move(contacts));
    }

    std::shared_ptr<HttpLookup::State> state_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::empty_body> request_;
    http::response_parser<http::string_body> parser_;
    std::string number_;
    Target target_;
    HttpLookup::Done done_;
};

}  // namespace

HttpLookup::HttpLookup(net::io_context& io, HttpLookupOptions options, PhoneNumbers numbers)
    : state_(std::make_shared<State>(io, std::move(options), std::move(numbers))) {}

HttpLookup::~HttpLookup() = default;

void HttpLookup::find(const std::string& number, const std::string& raw_number, Done done) {
    net::post(state_->strand, [state = state_, number, raw_number, done = std::move(done)]() mutable {
        if (const auto* contacts = state->cached(number)) return done(*contacts);
        const auto url = state->options.url.expand({{"number", number}, {"raw_number", raw_number}});
        auto target = split_url(url);
        if (!target) {
            spdlog::warn("caller lookup: the URL {} has a bad port; treated as no match", printable(url, 200));
            return done({});
        }
        std::make_shared<LookupRequest>(state, number, std::move(*target), std::move(done))->start();
    });
}

}  // namespace cti
