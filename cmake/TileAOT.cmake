# tile_aot_kernel(<name> SOURCE <file.mlir> | KERNEL <shipped kernel>
#                 [PARAMS name=value ...] [ARCH sm_90a] [NUM_WARPS n]
#                 [IMAGE cubin|ptx] [FLAGS tile-compile-flag ...])
#
# Compiles a kernel file ahead of time with tile-compile when the project
# builds, into the header build/aot/include/tile/aot/<name>.h (namespace
# tile::aot::<name>), and defines the INTERFACE library <name> that carries
# its include path and links tile::rt. IMAGE ptx embeds the PTX instead of
# the cubin, for the driver to compile on whatever GPU runs it. Code that includes the header and links
# <name> runs the kernel with no LLVM/MLIR. FLAGS are tile-compile flags for
# this kernel alone (e.g. --prefetch-k-steps=2: a lowering option measured on
# one kernel; tile-compile --help lists them).
#
# TILE_AOT_FLAGS (a cache variable, a ;-list) adds tile-compile flags to
# every kernel, e.g. -DTILE_AOT_FLAGS=--sink-shared-loads=false for a second
# build of the same sources to compare a lowering option.
#
# In this project it runs the tile-compile it builds; from an installed tile
# (find_package(Tile COMPONENTS Runtime Compiler)) it runs Tile::tile-compile
# and links Tile::Runtime, and the header goes under the consumer's build tree.
function(tile_aot_kernel name)
  cmake_parse_arguments(ARG "" "SOURCE;KERNEL;ARCH;NUM_WARPS;IMAGE" "PARAMS;FLAGS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tile_aot_kernel(${name}): unknown arguments "
      "${ARG_UNPARSED_ARGUMENTS} (SOURCE, KERNEL, PARAMS, ARCH, NUM_WARPS, "
      "IMAGE, FLAGS)")
  endif()
  if(NOT ARG_SOURCE AND NOT ARG_KERNEL)
    message(FATAL_ERROR "tile_aot_kernel(${name}): SOURCE or KERNEL is required")
  endif()
  if(TARGET tile-compile)
    set(compiler tile-compile)
    set(compiler_depends tile-compile)
  elseif(TARGET Tile::tile-compile)
    set(compiler Tile::tile-compile)
    set(compiler_depends "$<TARGET_FILE:Tile::tile-compile>")
  else()
    message(FATAL_ERROR "tile_aot_kernel(${name}) needs tile-compile: "
      "find_package(Tile REQUIRED COMPONENTS Runtime Compiler)")
  endif()
  if(NOT TARGET Tile::Runtime)
    message(FATAL_ERROR "tile_aot_kernel(${name}) needs Tile::Runtime: "
      "find_package(Tile REQUIRED COMPONENTS Runtime Compiler)")
  endif()
  if(NOT ARG_ARCH)
    set(ARG_ARCH sm_90a)
  endif()
  if(ARG_SOURCE)
    get_filename_component(source "${ARG_SOURCE}" ABSOLUTE)
    set(input "${source}")
    set(input_depends "${source}")
  else()
    set(input "${ARG_KERNEL}")
    set(input_depends)
  endif()
  set(include_dir "${PROJECT_BINARY_DIR}/aot/include")
  set(header "${include_dir}/tile/aot/${name}.h")
  set(extra)
  if(ARG_IMAGE)
    list(APPEND extra --image ${ARG_IMAGE})
  endif()
  if(ARG_NUM_WARPS)
    list(APPEND extra --num-warps ${ARG_NUM_WARPS})
  endif()
  foreach(param IN LISTS ARG_PARAMS)
    list(APPEND extra --param ${param})
  endforeach()
  # TILE_AOT_FLAGS: tile-compile flags for every kernel of the build (a
  # lowering option to compare, e.g. --sink-shared-loads=false).
  list(APPEND extra ${TILE_AOT_FLAGS} ${ARG_FLAGS})
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${include_dir}/tile/aot"
    COMMAND ${compiler} "${input}" --target ${ARG_ARCH} --emit header
            --namespace ${name} ${extra} -o "${header}"
    DEPENDS ${compiler_depends} ${input_depends}
    COMMENT "tile-compile ${input} ${ARG_PARAMS} ${ARG_FLAGS} (${ARG_ARCH}) -> tile/aot/${name}.h"
    VERBATIM)
  add_custom_target(${name}_header DEPENDS "${header}")
  add_library(${name} INTERFACE)
  add_dependencies(${name} ${name}_header)
  target_include_directories(${name} INTERFACE "${include_dir}")
  target_link_libraries(${name} INTERFACE Tile::Runtime)
endfunction()
