# The libraries of a Windows cross-build (cmake/mingw-w64-x86_64.cmake), as the same targets the
# Linux build gets from find_package, so that no other CMakeLists.txt knows the difference.
#
# Boost.Asio/Beast, nlohmann/json, spdlog (+ fmt), CLI11 and tl::expected are header-only and portable: the
# Debian packages' headers are used as they are, each directory linked into a private include
# folder (never /usr/include itself, whose glibc headers would shadow mingw's). spdlog and fmt
# run header-only there. SQLite is compiled from its amalgamation, made from Debian's source
# package by installer/windows/sqlite-amalgamation.sh on the first configure.

set(CTI_WINDOWS_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${CTI_WINDOWS_HEADERS})
foreach(library boost nlohmann spdlog fmt CLI tl)
    if(NOT EXISTS /usr/include/${library})
        message(FATAL_ERROR "Windows build: /usr/include/${library} is missing; install the Debian "
                            "packages listed for the Windows build in installer/dev.sh")
    endif()
    file(CREATE_LINK /usr/include/${library} ${CTI_WINDOWS_HEADERS}/${library} SYMBOLIC)
endforeach()

function(cti_header_only_target target)
    add_library(${target} INTERFACE IMPORTED GLOBAL)
    target_include_directories(${target} SYSTEM INTERFACE ${CTI_WINDOWS_HEADERS})
    target_compile_definitions(${target} INTERFACE ${ARGN})
endfunction()

cti_header_only_target(Boost::headers)
# Asio on Windows: target Windows 10, and let the linker find Winsock (mswsock for AcceptEx).
target_compile_definitions(Boost::headers INTERFACE _WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
target_link_libraries(Boost::headers INTERFACE ws2_32 mswsock)
cti_header_only_target(nlohmann_json::nlohmann_json)
cti_header_only_target(spdlog::spdlog SPDLOG_HEADER_ONLY FMT_HEADER_ONLY)
cti_header_only_target(CLI11::CLI11)
cti_header_only_target(tl::expected)

set(CTI_SQLITE_AMALGAMATION_DIR ${CMAKE_BINARY_DIR}/sqlite-amalgamation
    CACHE PATH "Folder with SQLite's sqlite3.c and sqlite3.h for the Windows build")
if(NOT EXISTS ${CTI_SQLITE_AMALGAMATION_DIR}/sqlite3.c)
    message(STATUS "Making the SQLite amalgamation from Debian's sqlite3 source package")
    execute_process(
        COMMAND ${CMAKE_SOURCE_DIR}/installer/windows/sqlite-amalgamation.sh ${CTI_SQLITE_AMALGAMATION_DIR}
        RESULT_VARIABLE sqlite_result)
    if(NOT sqlite_result EQUAL 0)
        message(FATAL_ERROR "Windows build: could not make the SQLite amalgamation (see above)")
    endif()
endif()
enable_language(C)
add_library(cti_sqlite3 STATIC ${CTI_SQLITE_AMALGAMATION_DIR}/sqlite3.c)
target_include_directories(cti_sqlite3 SYSTEM PUBLIC ${CTI_SQLITE_AMALGAMATION_DIR})
# The journal needs neither extensions loaded at run time nor the deprecated interfaces.
target_compile_definitions(cti_sqlite3 PRIVATE
    SQLITE_THREADSAFE=1 SQLITE_OMIT_LOAD_EXTENSION SQLITE_OMIT_DEPRECATED SQLITE_DQS=0)
add_library(SQLite::SQLite3 ALIAS cti_sqlite3)
