# The browser extension's IDs and its native messaging host's name, for the host manifests of
# both installers (installer/linux/package.cmake, installer/windows/CMakeLists.txt).
#
# The IDs come from installer/browser-extension/ alone: EXTENSION_ID (Chromium's ID, which the
# manifest's "key" gives) and the manifest's browser_specific_settings.gecko.id (Firefox's).
set(extension_dir ${PROJECT_SOURCE_DIR}/installer/browser-extension)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${extension_dir}/EXTENSION_ID ${extension_dir}/manifest.json)
file(STRINGS ${extension_dir}/EXTENSION_ID CTI_EXTENSION_ID LIMIT_COUNT 1)
string(STRIP "${CTI_EXTENSION_ID}" CTI_EXTENSION_ID)
if(NOT CTI_EXTENSION_ID MATCHES "^[a-p]+$")
    message(FATAL_ERROR "${extension_dir}/EXTENSION_ID: not an extension ID: '${CTI_EXTENSION_ID}'")
endif()
string(LENGTH "${CTI_EXTENSION_ID}" id_length)
if(NOT id_length EQUAL 32)
    message(FATAL_ERROR "${extension_dir}/EXTENSION_ID: an extension ID has 32 letters a-p")
endif()
file(READ ${extension_dir}/manifest.json extension_manifest)
string(JSON CTI_EXTENSION_GECKO_ID ERROR_VARIABLE gecko_error
       GET "${extension_manifest}" browser_specific_settings gecko id)
if(gecko_error OR NOT CTI_EXTENSION_GECKO_ID MATCHES "^[A-Za-z0-9._@{}-]+$")
    message(FATAL_ERROR "${extension_dir}/manifest.json: no usable browser_specific_settings.gecko.id"
                        " (${gecko_error})")
endif()

set(CTI_NATIVE_HOST_NAME org.cti_adapter.native_host)
set(CTI_NATIVE_HOST_DESCRIPTION "cti-adapter: joins the cti-adapter bridge extension to the adapter")
