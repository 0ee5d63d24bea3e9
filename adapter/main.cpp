// cti-adapter: everything lives in the adapter library; this only picks the built-in drivers.
#include "cli/command_line.hpp"

int main(int argc, char** argv) { return cti::run_command_line(argc, argv, cti::builtin_drivers()); }
