# What `cmake --install` puts where, and the Debian package CPack builds from the same rules.
#
#   bin/gluetrace
#   share/man/man1/gluetrace.1.gz                 (compressed as Debian policy wants)
#   share/doc/gluetrace/README.md, docs/*.md, gluetrace.schema.json, trace-glueless.svg
#   <bash-completion completionsdir>/gluetrace    (Debian: share/bash-completion/completions)
#
# Every destination is relative to the install prefix, so the package (prefix /usr) and a
# local install (default /usr/local, or --prefix) get the same layout.
include(GNUInstallDirs)

install(TARGETS gluetrace RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page, gzip -9n (no name, no time stamp: the same bytes on every build).
find_program(GT_GZIP gzip REQUIRED)
set(GT_MAN_GZ ${PROJECT_BINARY_DIR}/gluetrace.1.gz)
add_custom_command(OUTPUT ${GT_MAN_GZ}
    COMMAND ${GT_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/docs/gluetrace.1 > ${GT_MAN_GZ}
    DEPENDS ${PROJECT_SOURCE_DIR}/docs/gluetrace.1
    COMMENT "Compressing the man page")
add_custom_target(gluetrace_man ALL DEPENDS ${GT_MAN_GZ})
install(FILES ${GT_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Documentation: every docs/*.md, the JSON Schema and the picture the README shows.
file(GLOB GT_DOCS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${GT_DOCS}
    ${PROJECT_SOURCE_DIR}/docs/gluetrace.schema.json
    ${PROJECT_SOURCE_DIR}/docs/trace-glueless.svg
    DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Bash completion: where bash-completion loads completions from on demand. Its pkg-config
# file names the directory under its own prefix; asked with ours, the answer stays inside
# the install prefix. Without bash-completion installed: the same directory Debian uses.
set(GT_BASH_COMPLETION_DIR "" CACHE PATH
    "Directory for the bash completion (default: bash-completion's completionsdir)")
set(gt_completion_dir ${GT_BASH_COMPLETION_DIR})
if(NOT gt_completion_dir AND PKG_CONFIG_EXECUTABLE)
    execute_process(
        COMMAND ${PKG_CONFIG_EXECUTABLE} --define-variable=prefix=${CMAKE_INSTALL_PREFIX}
                --variable=completionsdir bash-completion
        OUTPUT_VARIABLE gt_completion_dir OUTPUT_STRIP_TRAILING_WHITESPACE
        RESULT_VARIABLE gt_pc_rc ERROR_QUIET)
    if(NOT gt_pc_rc EQUAL 0)
        set(gt_completion_dir "")
    endif()
    # Relative to the prefix, so that CPack's /usr prefix applies to it too.
    string(FIND "${gt_completion_dir}" "${CMAKE_INSTALL_PREFIX}/" gt_at)
    if(gt_at EQUAL 0)
        string(LENGTH "${CMAKE_INSTALL_PREFIX}/" gt_len)
        string(SUBSTRING "${gt_completion_dir}" ${gt_len} -1 gt_completion_dir)
    endif()
endif()
if(NOT gt_completion_dir)
    set(gt_completion_dir ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()
message(STATUS "bash completion goes to ${gt_completion_dir}")
install(FILES ${PROJECT_SOURCE_DIR}/scripts/gluetrace.bash-completion
    DESTINATION ${gt_completion_dir} RENAME gluetrace)

# ---- Debian package: cmake --build build --target package -> gluetrace_<version>_<arch>.deb
set(GT_PACKAGE_MAINTAINER "gluetrace maintainers <maintainers@users.noreply.r-seed-f6170375.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gluetrace)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${GT_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${GT_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "trace a DNS name from the root, following only referral glue")
set(CPACK_PACKAGE_DESCRIPTION
    "gluetrace traces a DNS name from the root servers down, taking every next-hop address
from the referral's glue (or a fresh sub-trace from the root), never from a resolver.
It asks every server and address of every zone cut in parallel, labels each address with
where it came from, and reports lame servers, missing or ignored glue, parent/child
disagreements, glueless cycles and more, as text, JSON, DOT or a dig +trace layout.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # gluetrace_<version>_<arch>.deb
# Depends: from the shared libraries the binary links (dpkg-shlibdeps, package dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_SOURCE_GENERATOR "") # no source package target
include(CPack)
