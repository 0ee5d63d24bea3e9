# The Debian package (CPack, DEB generator): `cpack -G DEB` in a build folder.
#
#   /usr/bin/cti-adapter                            the adapter
#   /etc/cti-adapter/config.json                    the machine-wide config (a conffile)
#   /usr/lib/systemd/user/cti-adapter.service       systemctl --user enable --now cti-adapter
#   /usr/share/man/man1/cti-adapter.1.gz            the manual page
#   /usr/share/doc/cti-adapter/                     copyright, changelog, the guides
#   and the browser extension path: its own block below.
#
# Included from the top CMakeLists.txt; docs/ADMIN.md describes installing it. lintian finds no
# error or warning (tests/package checks it); its one override is for the Chrome and Edge host
# manifests under /etc/opt, which those browsers require (lintian-overrides). Its info-level notes
# are hardening-no-fortify-functions (the project builds without _FORTIFY_SOURCE) and
# binary-has-unneeded-section .comment.

set(CTI_PACKAGE_PREFIX /usr)
set(CTI_PACKAGE_MAINTAINER "cti-adapter maintainers <cti-adapter@example.org>"
    CACHE STRING "Maintainer field of the Debian package")
set(linux_dir ${CMAKE_CURRENT_LIST_DIR})
set(package_build_dir ${PROJECT_BINARY_DIR}/package)
set(doc_dir share/doc/cti-adapter)

# Debian wants a read-only relocation table and immediate binding in every program it ships.
target_link_options(cti-adapter PRIVATE -Wl,-z,relro -Wl,-z,now)

configure_file(${linux_dir}/cti-adapter.service.in ${package_build_dir}/cti-adapter.service @ONLY)
configure_file(${linux_dir}/copyright.in ${package_build_dir}/copyright @ONLY)
configure_file(${linux_dir}/cti-adapter.1.in ${package_build_dir}/cti-adapter.1 @ONLY)
configure_file(${linux_dir}/changelog.in ${package_build_dir}/changelog @ONLY)
file(WRITE ${package_build_dir}/conffiles "/etc/cti-adapter/config.json\n")

# gzip -n: no name or time stamp inside, so the same sources give the same package.
find_program(GZIP_PROGRAM gzip REQUIRED)
set(gzipped)
foreach(name cti-adapter.1 changelog)
    add_custom_command(
        OUTPUT ${package_build_dir}/${name}.gz
        COMMAND ${GZIP_PROGRAM} -9nkf ${package_build_dir}/${name}
        DEPENDS ${package_build_dir}/${name}
        COMMENT "Compressing ${name} for the package"
        VERBATIM)
    list(APPEND gzipped ${package_build_dir}/${name}.gz)
endforeach()
add_custom_target(cti_package_files ALL DEPENDS ${gzipped})

install(FILES ${linux_dir}/config.json DESTINATION /etc/cti-adapter)
install(FILES ${package_build_dir}/cti-adapter.service DESTINATION lib/systemd/user)
install(FILES ${package_build_dir}/cti-adapter.1.gz DESTINATION share/man/man1)
install(FILES ${package_build_dir}/copyright ${package_build_dir}/changelog.gz DESTINATION ${doc_dir})
# The guides for IT, support and page developers, and every guide the program's messages name
# (doctor's remedies say "docs/TLS.md", "docs/SECURITY.md", ...: tests/package checks each).
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/ADMIN.md
              ${PROJECT_SOURCE_DIR}/docs/TROUBLESHOOTING.md ${PROJECT_SOURCE_DIR}/docs/CONFIG.md
              ${PROJECT_SOURCE_DIR}/docs/BROWSER-CLIENT.md ${PROJECT_SOURCE_DIR}/docs/PROTOCOL.md
              ${PROJECT_SOURCE_DIR}/docs/SECURITY.md ${PROJECT_SOURCE_DIR}/docs/TLS.md
              ${PROJECT_SOURCE_DIR}/docs/SALESFORCE.md ${PROJECT_SOURCE_DIR}/docs/WALKTHROUGH-baresip.md
        DESTINATION ${doc_dir})
install(FILES ${PROJECT_SOURCE_DIR}/docs/drivers/sip.md ${PROJECT_SOURCE_DIR}/docs/drivers/baresip.md
              ${PROJECT_SOURCE_DIR}/docs/drivers/tapi.md
        DESTINATION ${doc_dir}/drivers)

# ---- The browser extension path: the native messaging host and the unpacked extension --------
# (docs/BROWSER-EXTENSION.md). Files only, no maintainer scripts.
#
#   /usr/lib/cti-adapter/native-host                the wrapper a host manifest names (a manifest
#                                                   gives a path and no arguments)
#   /etc/chromium/native-messaging-hosts/           the host manifest org.cti_adapter.native_host.json
#   /etc/opt/chrome/native-messaging-hosts/         for Chromium, Google Chrome and Microsoft Edge
#   /etc/opt/edge/native-messaging-hosts/           (conffiles: IT may add a store copy's ID)
#   /usr/lib/mozilla/native-messaging-hosts/        the same for Firefox (allowed_extensions)
#   /usr/share/cti-adapter/browser-extension/       the unpacked extension, for IT to pack or load
#   /usr/share/doc/cti-adapter/examples/browser-extension/   the example force-install policies
#
include(${PROJECT_SOURCE_DIR}/cmake/browser_extension_ids.cmake)
set(CTI_NATIVE_HOST_WRAPPER ${CTI_PACKAGE_PREFIX}/lib/cti-adapter/native-host)
configure_file(${linux_dir}/native-host.in ${package_build_dir}/native-host @ONLY)
foreach(family chromium firefox)
    configure_file(${linux_dir}/native-host-${family}.json.in
                   ${package_build_dir}/${family}/${CTI_NATIVE_HOST_NAME}.json @ONLY)
endforeach()

install(PROGRAMS ${package_build_dir}/native-host DESTINATION lib/cti-adapter)
set(chromium_host_dirs /etc/chromium/native-messaging-hosts /etc/opt/chrome/native-messaging-hosts
                       /etc/opt/edge/native-messaging-hosts)
foreach(host_dir ${chromium_host_dirs})
    install(FILES ${package_build_dir}/chromium/${CTI_NATIVE_HOST_NAME}.json DESTINATION ${host_dir})
    file(APPEND ${package_build_dir}/conffiles "${host_dir}/${CTI_NATIVE_HOST_NAME}.json\n")  # after its WRITE
endforeach()
install(FILES ${package_build_dir}/firefox/${CTI_NATIVE_HOST_NAME}.json
        DESTINATION lib/mozilla/native-messaging-hosts)
# Not needed at run time: EXTENSION_ID (it is in the host manifests) and the example policies.
install(DIRECTORY ${extension_dir}/ DESTINATION share/cti-adapter/browser-extension
        PATTERN EXTENSION_ID EXCLUDE PATTERN policies EXCLUDE)
install(DIRECTORY ${extension_dir}/policies/ DESTINATION ${doc_dir}/examples/browser-extension)
install(FILES ${PROJECT_SOURCE_DIR}/docs/BROWSER-EXTENSION.md DESTINATION ${doc_dir})
# /etc/opt is for add-on software, and lintian says so; Chrome and Edge read nothing else.
install(FILES ${linux_dir}/lintian-overrides DESTINATION share/lintian/overrides RENAME cti-adapter)
# ---- End of the browser extension path ------------------------------------------------------

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cti-adapter)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CTI_PACKAGE_PREFIX})
set(CPACK_PACKAGE_CONTACT ${CTI_PACKAGE_MAINTAINER})
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION comm)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/cti-adapter")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "local CTI adapter: the desk phone for the CRM page")
# CPack puts a space before each line and turns the empty line into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "A small background service on the agent's own computer that joins
the phone to the browser. It watches the phone system through a driver (a
SIP desk phone, the baresip softphone, a TAPI line or a simulator), pushes
screen pops and call states to the agent's CRM page over a WebSocket on
127.0.0.1 and takes click-to-dial and call control commands back. It keeps
a local call log that is never lost.

The package starts it at login as a systemd user service; the command
`cti-adapter doctor` tells support what is wrong on a desktop.")
# The maintainer scripts keep the browsers' local-network-access policies in step with the
# machine config's allowed origins: postinst writes them (install and upgrade), prerm takes them
# away at removal, postrm forgets their record at purge (docs/ADMIN.md, section 5.2).
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${package_build_dir}/conffiles ${linux_dir}/postinst ${linux_dir}/prerm ${linux_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
