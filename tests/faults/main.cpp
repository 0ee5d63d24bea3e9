// The fault suite's runner. The flood opens a thousand sockets here and as many in the adapter,
// which inherits this process's limit: raise it before any test starts an adapter.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <sys/resource.h>

int main(int argc, char* argv[]) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    return Catch::Session().run(argc, argv);
}
