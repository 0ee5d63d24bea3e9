// Managed baresip on the adapter's loop (drivers/baresip/managed_baresip.*): stopping it never
// blocks the loop, and a process that ignores SIGTERM is still gone, by SIGKILL, when `stopped`
// runs. A shell script stands in for baresip: it prints baresip's ready line and then waits.
#include <catch2/catch.hpp>

#include <csignal>
#include <memory>
#include <string>

#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "baresip/managed_baresip.hpp"
#include "support/temp_dir.hpp"

using namespace cti;
namespace net = boost::asio;

namespace {

// A stand-in for baresip; with `ignore_term` it ignores SIGTERM (the ignored signal survives
// the exec), as a baresip stuck on its SIP transactions would.
std::string fake_baresip(const test::TempDir& dir, bool ignore_term) {
    const auto path = dir.write("baresip", std::string("#!/bin/sh\n") + (ignore_term ? "trap '' TERM\n" : "") +
                                               "echo 'baresip is ready.'\nexec sleep 600\n");
    ::chmod(path.c_str(), 0700);
    return path;
}

baresip::BaresipSettings settings_for(const test::TempDir& dir, const std::string& program) {
    baresip::BaresipSettings settings;
    settings.managed = true;
    settings.baresip_path = program;
    settings.config_dir = (dir.path / "config").string();
    return settings;
}

}  // namespace

TEST_CASE("a managed baresip that ignores SIGTERM is killed without blocking the loop", "[baresip]") {
    test::TempDir dir;
    net::io_context loop{1};
    drivers::Strand strand(net::make_strand(loop));
    auto process = std::make_shared<baresip::ManagedBaresip>(strand, settings_for(dir, fake_baresip(dir, true)));
    bool ready = false;
    bool loop_ran_while_stopping = false;
    bool stopped = false;
    // The handler must not use `process`, which is reset before the loop runs.
    REQUIRE(process->start({[&, raw = process.get()] {
                                ready = true;
                                raw->stop([&] { stopped = true; });
                                // stop() has returned at once: the loop goes on while baresip is given its time.
                                net::post(loop, [&] { loop_ran_while_stopping = !stopped; });
                            },
                            [](const std::string&) { FAIL("no exit is reported once stop() was called"); }})
                .empty());
    process.reset();  // the handlers keep it alive until it has stopped
    loop.run();
    CHECK(ready);
    CHECK(loop_ran_while_stopping);
    CHECK(stopped);
}

TEST_CASE("a managed baresip that exits by itself is reaped and reported with its exit code", "[baresip]") {
    test::TempDir dir;
    const auto program = dir.write("baresip", "#!/bin/sh\necho 'baresip is ready.'\necho 'last words'\nexit 3\n");
    ::chmod(program.c_str(), 0700);
    net::io_context loop{1};
    drivers::Strand strand(net::make_strand(loop));
    auto process = std::make_shared<baresip::ManagedBaresip>(strand, settings_for(dir, program));
    std::string exit_detail;
    REQUIRE(process->start({[] {}, [&](const std::string& why) { exit_detail = why; }}).empty());
    loop.run();  // ends once the exit is reported: nothing else is left to wait for
    CHECK(exit_detail == "baresip exited with code 3 (last output: last words)");
    CHECK_FALSE(process->running());
}

TEST_CASE("a managed baresip that obeys SIGTERM is stopped at the first signal", "[baresip]") {
    test::TempDir dir;
    net::io_context loop{1};
    drivers::Strand strand(net::make_strand(loop));
    auto process = std::make_shared<baresip::ManagedBaresip>(strand, settings_for(dir, fake_baresip(dir, false)));
    bool stopped = false;
    REQUIRE(process->start({[&] { process->stop([&] { stopped = true; }); }, [](const std::string&) {}}).empty());
    loop.run();
    CHECK(stopped);
    CHECK_FALSE(process->running());
}
