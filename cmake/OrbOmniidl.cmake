# orb_omniidl_library(NAME IDL LINK)
#
# Compiles IDL (an absolute path) with omniidl -bcxx at build time into
# ${CMAKE_CURRENT_BINARY_DIR}/NAME/ and builds its skeleton file into the
# static library NAME, whose users include the generated "X.hh". LINK is the
# omniORB library to link, an imported target from pkg-config such as
# PkgConfig::OMNIORB4. Tests and benchmarks use it for their omniORB peers;
# it is not installed. Call it only where ORB_OMNIIDL was found.
find_program(ORB_OMNIIDL omniidl)

function(orb_omniidl_library name idl link)
  get_filename_component(base ${idl} NAME_WE)
  set(directory ${CMAKE_CURRENT_BINARY_DIR}/${name})
  add_custom_command(
    OUTPUT ${directory}/${base}.hh ${directory}/${base}SK.cc
    COMMAND ${CMAKE_COMMAND} -E make_directory ${directory}
    COMMAND ${ORB_OMNIIDL} -bcxx -C${directory} ${idl}
    DEPENDS ${idl}
    COMMENT "omniidl -bcxx ${base}.idl")
  add_library(${name} STATIC ${directory}/${base}SK.cc)
  target_include_directories(${name} PUBLIC ${directory})
  # omniidl's output is not ours to keep warning-free.
  target_compile_options(${name} PRIVATE -w)
  target_link_libraries(${name} PUBLIC ${link})
endfunction()
