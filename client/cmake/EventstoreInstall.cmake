# cmake --install: the public headers (client/include/eventstore; the core's
# headers stay private, no installed header includes them), the libraries, a
# CMake package with a version file (find_package(eventstore 0.4 CONFIG
# REQUIRED)) and pkg-config files (eventstore, eventstore-testing).
# The test kit (eventstore::testing) is installed for the tests of applications.
include(CMakePackageConfigHelpers)

set(EVENTSTORE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/eventstore)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/client/include/eventstore
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
# Static builds install the core too: the static modules need it at link time.
install(TARGETS ${EVENTSTORE_INSTALLED_LIBRARIES} EXPORT eventstore-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT eventstore-targets NAMESPACE eventstore:: DESTINATION ${EVENTSTORE_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/eventstore-config.cmake.in
  ${PROJECT_BINARY_DIR}/eventstore-config.cmake INSTALL_DESTINATION ${EVENTSTORE_CMAKE_DIR})
# 0.x: a minor release may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/eventstore-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/eventstore-config.cmake ${PROJECT_BINARY_DIR}/eventstore-config-version.cmake
        DESTINATION ${EVENTSTORE_CMAKE_DIR})

# pkg-config: eventstore (store, client, resilience, framework) and
# eventstore-testing (the test kit, on top of it). The files locate the prefix
# from their own directory, so the tree may be installed with --prefix or
# DESTDIR anywhere. A static build lists what the static libraries need
# (the core, libpq, threads) in Libs and Requires, so that a plain
# `pkg-config --libs` links; a shared build keeps them private.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(EVENTSTORE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(EVENTSTORE_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH pc_up /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" pc_up "${pc_up}")
  set(EVENTSTORE_PC_PREFIX "\${pcfiledir}/${pc_up}")
  set(EVENTSTORE_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(EVENTSTORE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(EVENTSTORE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(EVENTSTORE_SHARED)
  set(EVENTSTORE_PC_REQUIRES "nlohmann_json >= 3")
  set(EVENTSTORE_PC_DEPENDENCIES "\nRequires.private: libpq\nLibs.private: -pthread")
  set(EVENTSTORE_PC_CORE "")
else()
  set(EVENTSTORE_PC_REQUIRES "nlohmann_json >= 3, libpq")
  set(EVENTSTORE_PC_DEPENDENCIES "")
  set(EVENTSTORE_PC_CORE " -leventstore_core -pthread")
endif()
# eventstore-cache: the cache module, when it is built; hiredis is needed at
# link time by a static build, only by the library itself in a shared one.
set(EVENTSTORE_PC_FILES eventstore eventstore-testing)
if(TARGET eventstore_cache)
  list(APPEND EVENTSTORE_PC_FILES eventstore-cache)
  if(EVENTSTORE_SHARED)
    set(EVENTSTORE_PC_CACHE_REQUIRES "\nRequires.private: hiredis")
  else()
    set(EVENTSTORE_PC_CACHE_REQUIRES ", hiredis")
  endif()
endif()
foreach(pc ${EVENTSTORE_PC_FILES})
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
