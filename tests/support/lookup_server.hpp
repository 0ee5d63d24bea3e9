// A tiny HTTP server on a free loopback port that plays a CRM's caller-lookup service for the
// integration tests: it answers GET requests with whatever the test says, counts them, and can
// be told to keep a request waiting forever (to test the adapter's timeout).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cti::test {

struct LookupReply {
    int status = 200;
    std::string body = "[]";
    bool never_answer = false;  // read the request, then say nothing until the server stops
};

class LookupServer {
public:
    using Handler = std::function<LookupReply(const std::string& target)>;

    explicit LookupServer(Handler handler);
    ~LookupServer();  // closes every connection and joins the server's thread
    LookupServer(const LookupServer&) = delete;
    LookupServer& operator=(const LookupServer&) = delete;

    std::uint16_t port() const;
    std::vector<std::string> targets() const;  // every request target received, in order

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cti::test
