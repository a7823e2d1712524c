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
# The package files are written to a folder of their own, which works only
# once installed: find_package() with the build folder as prefix then finds
# nothing, instead of a file that refers to installed ones.
set(orb_package_dir "${PROJECT_BINARY_DIR}/package-files")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/orbConfig.cmake.in"
                              "${orb_package_dir}/orbConfig.cmake"
                              INSTALL_DESTINATION "${ORB_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${orb_package_dir}/orbConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${orb_package_dir}/orbConfig.cmake" "${orb_package_dir}/orbConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/OrbIdl.cmake"
        DESTINATION "${ORB_INSTALL_CMAKEDIR}")

# pkg-config finds the prefix from where orb.pc lies, so that an install
# to another prefix (cmake --install --prefix DIR) needs no other setting.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(ORB_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH orb_pc_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" orb_pc_up "${orb_pc_up}")
  set(ORB_PC_PREFIX "\${pcfiledir}/${orb_pc_up}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/orb.pc.in" "${orb_package_dir}/orb.pc" @ONLY)
install(FILES "${orb_package_dir}/orb.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
