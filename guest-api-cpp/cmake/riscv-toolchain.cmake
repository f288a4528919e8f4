# CMake toolchain file for riscv-sandbox tenant programs: rv64gc Linux, glibc, static (Debian's
# g++-riscv64-linux-gnu). Use it with cmake/tenant.cmake:
#
#   cmake -S my-tenant -B build -DCMAKE_TOOLCHAIN_FILE=/path/to/guest-api-cpp/cmake/riscv-toolchain.cmake
#   cmake --build build
#
# The environment variable TENANT_CXX overrides the C++ compiler, as for bin/tenant-c++.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(RISCV_SANDBOX_TRIPLE riscv64-linux-gnu CACHE STRING "GNU triple of the cross compiler")
set(CMAKE_C_COMPILER ${RISCV_SANDBOX_TRIPLE}-gcc)
if(DEFINED ENV{TENANT_CXX})
    set(CMAKE_CXX_COMPILER $ENV{TENANT_CXX})
else()
    set(CMAKE_CXX_COMPILER ${RISCV_SANDBOX_TRIPLE}-g++)
endif()

# look for libraries and headers of the target only, programs of the build machine only
set(CMAKE_FIND_ROOT_PATH /usr/${RISCV_SANDBOX_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# tenants are static executables (the sandbox has no dynamic loader)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
