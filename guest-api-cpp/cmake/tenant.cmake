# add_tenant(NAME SOURCE...): builds a riscv-sandbox C++ tenant program with the SDK (include/api.h) and
# nlohmann::json, with the flags of bin/tenant-c++: -std=gnu++20 -O2, static, exceptions on, unused sections
# dropped, no debug info, reproducible (build paths mapped away, -frandom-seed=NAME).
#
#   include(/path/to/guest-api-cpp/cmake/tenant.cmake)
#   add_tenant(my-tenant main.cpp util.cpp)
#
# Configure with -DCMAKE_TOOLCHAIN_FILE=/path/to/guest-api-cpp/cmake/riscv-toolchain.cmake and leave
# CMAKE_BUILD_TYPE empty (a build type adds its own flags, e.g. -O3 -DNDEBUG for Release).
# NLOHMANN_INCLUDE_DIR (default /usr/include) is the directory holding nlohmann/json.hpp; only a directory with a
# link to its nlohmann/ is put on the include path, never /usr/include itself.

cmake_minimum_required(VERSION 3.14) # file(CREATE_LINK)

get_filename_component(RISCV_SANDBOX_SDK "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(NLOHMANN_INCLUDE_DIR "/usr/include" CACHE PATH "directory holding nlohmann/json.hpp (nlohmann-json3-dev)")

if(NOT EXISTS "${NLOHMANN_INCLUDE_DIR}/nlohmann/json.hpp")
    message(FATAL_ERROR "${NLOHMANN_INCLUDE_DIR}/nlohmann/json.hpp not found: install nlohmann-json3-dev or set "
                        "NLOHMANN_INCLUDE_DIR")
endif()
set(RISCV_SANDBOX_DEPS "${CMAKE_BINARY_DIR}/riscv-sandbox-deps")
file(MAKE_DIRECTORY "${RISCV_SANDBOX_DEPS}")
file(CREATE_LINK "${NLOHMANN_INCLUDE_DIR}/nlohmann" "${RISCV_SANDBOX_DEPS}/nlohmann" SYMBOLIC)

function(add_tenant name)
    if(ARGC LESS 2)
        message(FATAL_ERROR "add_tenant(${name}): no sources")
    endif()
    add_executable(${name} ${ARGN})
    set_target_properties(${name} PROPERTIES CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS ON)
    target_include_directories(${name} PRIVATE "${RISCV_SANDBOX_SDK}/include")
    target_include_directories(${name} SYSTEM PRIVATE "${RISCV_SANDBOX_DEPS}")
    # the last matching -ffile-prefix-map wins: most specific last
    target_compile_options(${name} PRIVATE
        -O2 -g0 -ffunction-sections -fdata-sections
        "-ffile-prefix-map=${RISCV_SANDBOX_SDK}=guest-api-cpp"
        "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=."
        "-ffile-prefix-map=${CMAKE_BINARY_DIR}=build"
        "-ffile-prefix-map=${RISCV_SANDBOX_DEPS}=/usr/include"
        "-frandom-seed=${name}")
    target_link_options(${name} PRIVATE -static -Wl,--gc-sections -Wl,--strip-debug)
endfunction()
