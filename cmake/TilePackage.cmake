# Installs tile as a CMake package: <prefix>/lib/cmake/Tile/TileConfig.cmake
# with the components Runtime (Tile::Runtime, its header, TileAOT.cmake) and
# Compiler (Tile::tile-compile, Tile::tile-opt). The targets' own install()
# rules are beside them (lib/Runtime, tools/tile-compile, tools/tile-opt).
#   cmake --install build --prefix /opt/tile [--component Runtime|Compiler]
include(CMakePackageConfigHelpers)

set(TILE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Tile" CACHE STRING
    "Where TileConfig.cmake is installed, relative to the prefix")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/TileConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/TileConfig.cmake"
  INSTALL_DESTINATION "${TILE_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/TileConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)

install(EXPORT TileRuntimeTargets NAMESPACE Tile::
  DESTINATION "${TILE_INSTALL_CMAKEDIR}" COMPONENT Runtime)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake/TileConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake/TileConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/TileAOT.cmake"
  DESTINATION "${TILE_INSTALL_CMAKEDIR}" COMPONENT Runtime)
install(EXPORT TileCompilerTargets NAMESPACE Tile::
  DESTINATION "${TILE_INSTALL_CMAKEDIR}" COMPONENT Compiler)
