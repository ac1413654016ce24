# cmake -DBUILD_TREE=<eventstore build> -DWORK_DIR=<scratch> [-DCONFIG=<config>]
#       [-DGENERATOR=<generator>] [-DCXX=<compiler>] [-DPKG_CONFIG=<pkg-config>]
#       [-DFLAGS=<compile and link flags>] -P run.cmake
#
# Installs the build tree into WORK_DIR/prefix, then builds the application
# in this directory against it twice, with find_package(eventstore) and with
# pkg-config, and runs it and its test.
foreach(required BUILD_TREE WORK_DIR)
  if(NOT ${required})
    message(FATAL_ERROR "run.cmake: ${required} is not set")
  endif()
endforeach()
# The configuration of the build tree (multi-config generators); the
# application is built in the same one.
set(install_config "")
if(CONFIG)
  set(install_config --config ${CONFIG})
else()
  set(CONFIG Release)
endif()
set(prefix ${WORK_DIR}/prefix)
set(app_build ${WORK_DIR}/cmake-build)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${result}): ${command}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_TREE} --prefix ${prefix} ${install_config})

# find_package(eventstore 0.4 CONFIG REQUIRED) from the prefix alone.
set(configure ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${app_build}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR)
  list(APPEND configure -G ${GENERATOR})
endif()
if(CXX)
  list(APPEND configure -DCMAKE_CXX_COMPILER=${CXX})
endif()
if(FLAGS)
  # E.g. the sanitizers the libraries were built with.
  list(APPEND configure "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
endif()
run(${configure})
run(${CMAKE_COMMAND} --build ${app_build} --config ${CONFIG})
foreach(program package_app package_app_test)
  find_program(${program}_path ${program} PATHS ${app_build} ${app_build}/${CONFIG} NO_DEFAULT_PATH REQUIRED)
  run(${${program}_path})
endforeach()

# pkg-config: the same main.cpp and test compiled and linked by hand.
if(NOT PKG_CONFIG)
  find_program(PKG_CONFIG NAMES pkg-config pkgconf)
endif()
if(NOT CXX)
  find_program(CXX NAMES c++ g++ clang++ REQUIRED)
endif()
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${prefix}/lib/pkgconfig:${prefix}/lib64/pkgconfig:$ENV{PKG_CONFIG_PATH}")
  file(GLOB pc_dirs ${prefix}/lib*/*/pkgconfig)
  foreach(dir IN LISTS pc_dirs)
    set(ENV{PKG_CONFIG_PATH} "${dir}:$ENV{PKG_CONFIG_PATH}")
  endforeach()
  foreach(program IN ITEMS "package_app_pc;main.cpp;eventstore" "package_app_test_pc;app_test.cpp;eventstore-testing")
    list(GET program 0 name)
    list(GET program 1 source)
    list(GET program 2 package)
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs ${package}
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "pkg-config --cflags --libs ${package} failed")
    endif()
    message(STATUS "pkg-config ${package}: ${flags}")
    separate_arguments(flags UNIX_COMMAND "${flags}")
    # The shared libraries are found at run time through their directory.
    string(REGEX MATCHALL "-L[^;]+" rpaths "${flags}")
    list(TRANSFORM rpaths REPLACE "^-L" "-Wl,-rpath,")
    separate_arguments(extra_flags UNIX_COMMAND "${FLAGS}")
    run(${CXX} ${extra_flags} -o ${WORK_DIR}/${name} ${CMAKE_CURRENT_LIST_DIR}/${source} ${flags} ${rpaths})
    run(${WORK_DIR}/${name})
  endforeach()
else()
  message(STATUS "pkg-config not found: the pkg-config build is skipped")
endif()
