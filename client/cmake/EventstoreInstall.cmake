# cmake --install: the headers, the libraries, a CMake package with a version
# file (find_package(eventstore 0.3 CONFIG REQUIRED)) and a pkg-config file.
# The test kit (eventstore::testing) is installed for the tests of applications.
include(CMakePackageConfigHelpers)

set(EVENTSTORE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/eventstore)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/client/include/eventstore ${PROJECT_SOURCE_DIR}/core/include/eventstore
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(TARGETS ${EVENTSTORE_LIBRARIES} EXPORT eventstore-targets
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

configure_file(${CMAKE_CURRENT_LIST_DIR}/eventstore.pc.in ${PROJECT_BINARY_DIR}/eventstore.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/eventstore.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
