# `cmake --install`: binaries, systemd units, the service user and example configs in the
# usual places (prefix /usr: /usr/bin, /usr/lib/systemd/system, /usr/lib/sysusers.d,
# /etc/gatehouse, /usr/share/doc/gatehouse), and a Debian package of the same with CPack.
# Every path is relative to the prefix given at install time.
include(GNUInstallDirs)

install(TARGETS approval-core connector-gateway reviewer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Units name the installed binaries and config, so they are written at install time, when the
# prefix (cmake --install --prefix, or CPack's /usr) is known. Configs go to /etc/gatehouse
# for the prefix /usr, else to <prefix>/etc/gatehouse; existing ones are never overwritten.
install(CODE "
  set(root \"\$ENV{DESTDIR}\")
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(SYSCONFDIR \"/etc\")
  else()
    set(SYSCONFDIR \"\${CMAKE_INSTALL_PREFIX}/etc\")
  endif()
  set(BINDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  set(DOCDIR \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}\")
  foreach(unit approval-core connector-gateway)
    set(target \"\${root}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system/\${unit}.service\")
    message(STATUS \"Installing: \${target}\")
    configure_file(\"${CMAKE_CURRENT_SOURCE_DIR}/deploy/systemd/\${unit}.service.in\"
                   \"\${target}\" @ONLY)
  endforeach()
  foreach(config approval-core.toml connector-gateway.toml)
    set(target \"\${root}\${SYSCONFDIR}/gatehouse/\${config}\")
    if(EXISTS \"\${target}\")
      message(STATUS \"Keeping: \${target}\")
    else()
      message(STATUS \"Installing: \${target}\")
      # file(INSTALL) adds DESTDIR itself.
      file(INSTALL \"${CMAKE_CURRENT_SOURCE_DIR}/deploy/config/\${config}\"
           DESTINATION \"\${SYSCONFDIR}/gatehouse\" MESSAGE_NEVER)
    endif()
  endforeach()
")
install(FILES deploy/systemd/gatehouse.sysusers DESTINATION lib/sysusers.d RENAME gatehouse.conf)
install(FILES deploy/config/reviewer.toml deploy/config/approval-core.toml
              deploy/config/connector-gateway.toml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB in the build directory: gatehouse_<version>_<arch>.deb, installing under /usr
# with the configs as conffiles in /etc/gatehouse.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gatehouse)
set(CPACK_PACKAGE_CONTACT "Gatehouse maintainers <gatehouse@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Self-hosted sign-up approval backend for Azure AD B2C and Entra API connectors")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/conffiles;${CMAKE_CURRENT_SOURCE_DIR}/deploy/debian/postinst")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
