# Cross-compiles the adapter for 64-bit Windows with Debian's mingw-w64 (posix threads flavour:
# std::thread and std::mutex need it). The result is one self-contained .exe: the C and C++
# runtimes and winpthread are linked statically, so nothing but Windows' own DLLs is needed.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CTI_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${CTI_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${CTI_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${CTI_MINGW_TRIPLE}-windres)

# Libraries and headers come from the mingw sysroot only: /usr/include holds glibc's headers,
# which must never reach a Windows build. The few header-only libraries taken from the host are
# handed over one directory at a time (cmake/windows_dependencies.cmake).
set(CMAKE_FIND_ROOT_PATH /usr/${CTI_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
