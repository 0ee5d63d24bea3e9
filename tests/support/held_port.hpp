// A loopback port held by the test process for the length of a test: "another program" for the
// adapter under test.
#pragma once

#include <cstdint>
#include <utility>
#include <boost/asio.hpp>

namespace cti::test {

struct HeldPort {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor{io, {boost::asio::ip::address_v4::loopback(), 0}};
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

}  // namespace cti::test
