#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "conformance/peer.hpp"

namespace cti::test {

std::vector<PeerRegistration>& peer_registry() {
    static std::vector<PeerRegistration> registry;
    return registry;
}

}  // namespace cti::test
