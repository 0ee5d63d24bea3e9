// Systems without a policy registry: the browsers read files (browser_policy_targets.cpp).
#include "browser_policy/policy_registry.hpp"

namespace cti {

std::unique_ptr<PolicyRegistry> open_machine_policy_registry() {
    return nullptr;
}

}  // namespace cti
