# Installation: libraries, headers, idlgen, orbd and the tools under a
# prefix, with a CMake package (find_package(orb) gives orb::core,
# orb::naming, orb::space, orb::store, orb::codec and orb_idl_generate)
# and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ORB_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/orb")

set_target_properties(orb_codec PROPERTIES EXPORT_NAME codec)
set_target_properties(orb_core PROPERTIES EXPORT_NAME core)
set_target_properties(orb_store PROPERTIES EXPORT_NAME store)
set_target_properties(orb_naming PROPERTIES EXPORT_NAME naming)
set_target_properties(orb_space PROPERTIES EXPORT_NAME space)
set_target_properties(idlgen PROPERTIES EXPORT_NAME idlgen)

# The services' headers include their generated IDL headers by plain name
# ("CosNaming.hpp"), so those go into one folder on the installed include path.
set(ORB_INSTALL_IDL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/orb/idl")
foreach(service naming space)
  target_include_directories(orb_${service} PUBLIC
    "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>"
    "$<INSTALL_INTERFACE:${ORB_INSTALL_IDL_INCLUDEDIR}>")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/${service}/include/"
          DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
  install(DIRECTORY "${PROJECT_BINARY_DIR}/${service}/idl_gen/"
          DESTINATION "${ORB_INSTALL_IDL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
endforeach()

install(TARGETS orb_codec orb_core orb_store orb_naming orb_space idlgen
        EXPORT orbTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS orb-ior orbd orb-name orb-space RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

# Public headers keep their <orb/...> and <store/...> paths.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/orb" "${PROJECT_SOURCE_DIR}/store"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

install(EXPORT orbTargets NAMESPACE orb:: DESTINATION "${ORB_INSTALL_CMAKEDIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/orbConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/orbConfig.cmake"
                              INSTALL_DESTINATION "${ORB_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/orbConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/orbConfig.cmake" "${PROJECT_BINARY_DIR}/orbConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/OrbIdl.cmake"
        DESTINATION "${ORB_INSTALL_CMAKEDIR}")

configure_file("${PROJECT_SOURCE_DIR}/cmake/orb.pc.in" "${PROJECT_BINARY_DIR}/orb.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/orb.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
