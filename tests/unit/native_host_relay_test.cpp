// The native messaging host's stdin: a host started by a browser reads its messages from a
// pipe; one started without a stdin it can wait on says so, and reads nothing.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "../support/result_checks.hpp"
#include "native_host/native_host_relay.hpp"

namespace fs = std::filesystem;

namespace {

// Puts `fd` in the place of this process's stdin (-1: no stdin at all), and the real stdin
// back when it goes out of scope, so the other tests of the process keep theirs.
class StdinStandIn {
public:
    explicit StdinStandIn(int fd) : saved_(::dup(STDIN_FILENO)) {
        if (fd < 0) ::close(STDIN_FILENO);
        else ::dup2(fd, STDIN_FILENO);
    }
    ~StdinStandIn() {
        if (saved_ < 0) {
            ::close(STDIN_FILENO);
            return;
        }
        ::dup2(saved_, STDIN_FILENO);
        ::close(saved_);
    }
    StdinStandIn(const StdinStandIn&) = delete;
    StdinStandIn& operator=(const StdinStandIn&) = delete;

private:
    int saved_;
};

// The epoll instances this process has open.
std::set<int> epoll_descriptors() {
    std::set<int> found;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        if (fs::read_symlink(entry.path(), ec) == "anon_inode:[eventpoll]" && !ec)
            found.insert(std::stoi(entry.path().filename().string()));
    }
    return found;
}

// A native message as the browser frames it: the length in 4 bytes (this machine's order, which
// is the browsers' on every machine they run on), then the text.
std::string framed(const std::string& text) {
    const auto length = static_cast<std::uint32_t>(text.size());
    return std::string(reinterpret_cast<const char*>(&length), sizeof length) + text;
}

}  // namespace

TEST_CASE("native host: the browser's messages are read from a pipe on stdin", "[native_host]") {
    int browser[2];
    REQUIRE(::pipe(browser) == 0);
    const auto message = framed("not json");
    REQUIRE(::write(browser[1], message.data(), message.size()) == static_cast<ssize_t>(message.size()));
    ::close(browser[1]);  // the browser has gone after its one message
    cti::net::io_context io{1};
    std::ostringstream to_browser;
    cti::NativeHostRelay relay(io, to_browser, "/nonexistent/cti-adapter.sock");
    {
        StdinStandIn stdin_is(browser[0]);
        REQUIRE(relay.start());
    }
    ::close(browser[0]);
    io.run_for(std::chrono::seconds(5));
    CHECK_THAT(to_browser.str(), Catch::Contains(R"("code":"not_json")"));
}

TEST_CASE("native host: without a stdin it says so and reads nothing", "[native_host]") {
    cti::net::io_context io{1};
    std::ostringstream to_browser;
    cti::NativeHostRelay relay(io, to_browser, "/nonexistent/cti-adapter.sock");
    StdinStandIn no_stdin(-1);
    CHECK(cti::test::error_message(relay.start(), cti::ErrorKind::unavailable) ==
          "cannot read the browser's messages: stdin is not open");
}

TEST_CASE("native host: a stdin the host cannot wait on is refused, not read", "[native_host]") {
    const auto before = epoll_descriptors();
    cti::net::io_context io{1};
    std::ostringstream to_browser;
    cti::NativeHostRelay relay(io, to_browser, "/nonexistent/cti-adapter.sock");
    auto made = epoll_descriptors();
    for (const int fd : before) made.erase(fd);
    REQUIRE(made.size() == 1);
    // epoll takes every kind of descriptor a browser could hand over (it reads a regular file
    // at once), but not its own instance: stdin made the io_context's epoll is one it cannot watch.
    StdinStandIn stdin_is(*made.begin());
    CHECK_THAT(cti::test::error_message(relay.start(), cti::ErrorKind::unsupported),
               Catch::StartsWith("stdin must be a pipe from the browser ("));
}
