// cti-adapter-native-host.exe: the program a browser's native messaging host manifest names on
// Windows. A manifest cannot add `native-host` to cti-adapter.exe's command line, and a .bat in
// between would put cmd.exe on the binary stdin and stdout.
#include <string>
#include <vector>

#include "native_host/native_host.hpp"

int main(int argc, char** argv) { return cti::run_native_host(std::vector<std::string>(argv + 1, argv + argc)); }
