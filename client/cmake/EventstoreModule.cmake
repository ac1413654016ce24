# eventstore_add_library(<module> [STATIC] SOURCES ... [INCLUDE_DIRECTORY dir]
#                        [PUBLIC_DEPENDS ...] [PRIVATE_DEPENDS ...] [EXPORT_NAME name])
#
# One module of the client (or the shared core): target eventstore_<module>,
# alias eventstore::<export name>, its headers under the include directory,
# installed with the package unless it is a test helper. Which module may use
# which is the table in docs/architecture.md; tests/layering checks it.
set(EVENTSTORE_LIBRARIES "" CACHE INTERNAL "")

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
    set_target_properties(${target} PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
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
endfunction()
