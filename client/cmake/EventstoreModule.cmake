# eventstore_add_library(<module> [STATIC] SOURCES ... [INCLUDE_DIRECTORY dir]
#                        [PUBLIC_DEPENDS ...] [PRIVATE_DEPENDS ...] [EXPORT_NAME name])
#
# One module of the client (or the shared core): target eventstore_<module>,
# alias eventstore::<export name>, its headers under the include directory.
# Which module may use which is the table in docs/architecture.md;
# tests/layering checks it.
#
# The modules are static libraries, or shared ones with EVENTSTORE_SHARED=ON
# (SONAME libeventstore_<module>.so.<major>.<minor>: in 0.x a minor release
# may break the ABI). A module marked STATIC (the core) stays static and is
# linked into the modules that use it; it is installed only when they are
# static too (EVENTSTORE_INSTALLED_LIBRARIES).
set(EVENTSTORE_LIBRARIES "" CACHE INTERNAL "")
set(EVENTSTORE_INSTALLED_LIBRARIES "" CACHE INTERNAL "")

function(eventstore_add_library module)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STATIC" "INCLUDE_DIRECTORY;EXPORT_NAME" "SOURCES;PUBLIC_DEPENDS;PRIVATE_DEPENDS")
  set(target eventstore_${module})
  if(NOT arg_EXPORT_NAME)
    set(arg_EXPORT_NAME ${module})
  endif()
  if(arg_STATIC OR NOT EVENTSTORE_SHARED)
    add_library(${target} STATIC ${arg_SOURCES})
  else()
    add_library(${target} SHARED ${arg_SOURCES})
    # The installed libraries find each other next to themselves.
    set_target_properties(${target} PROPERTIES VERSION ${PROJECT_VERSION}
                                               SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
                                               INSTALL_RPATH "$ORIGIN")
  endif()
  add_library(eventstore::${arg_EXPORT_NAME} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${arg_EXPORT_NAME} POSITION_INDEPENDENT_CODE ON
                                             OUTPUT_NAME eventstore_${module})
  if(NOT arg_INCLUDE_DIRECTORY)
    set(arg_INCLUDE_DIRECTORY ${PROJECT_SOURCE_DIR}/client/include)
  endif()
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${arg_INCLUDE_DIRECTORY}>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} PUBLIC cxx_std_23)
  target_compile_options(${target} PRIVATE ${EVENTSTORE_WARNINGS})
  target_link_libraries(${target} PUBLIC ${arg_PUBLIC_DEPENDS} PRIVATE ${arg_PRIVATE_DEPENDS})
  set(EVENTSTORE_LIBRARIES ${EVENTSTORE_LIBRARIES} ${target} CACHE INTERNAL "")
  if(NOT arg_STATIC OR NOT EVENTSTORE_SHARED)
    set(EVENTSTORE_INSTALLED_LIBRARIES ${EVENTSTORE_INSTALLED_LIBRARIES} ${target} CACHE INTERNAL "")
  endif()
endfunction()
