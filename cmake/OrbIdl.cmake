# orb_idl_generate(TARGET FILES a.idl ... [INCLUDE_DIRS dir ...])
#
# Compiles each IDL file with idlgen at build time into
# ${CMAKE_CURRENT_BINARY_DIR}/idl_gen/ and adds the generated X.cpp and
# X_servant.cpp to TARGET's sources and that directory to its include path,
# so TARGET's code includes "X.hpp" and "X_servant.hpp". INCLUDE_DIRS are
# passed to idlgen as -I, relative paths taken from the current source
# directory. A file is regenerated when it, an IDL file it includes (known
# from idlgen's depfile) or idlgen itself changes. TARGET still has to link
# orb::core for the proxies and skeletons.
function(orb_idl_generate target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "FILES;INCLUDE_DIRS")
  if(NOT ARG_FILES)
    message(FATAL_ERROR "orb_idl_generate(${target}): FILES names no IDL file")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "orb_idl_generate(${target}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()

  # In the source tree idlgen is a target of this project; an installed
  # package imports it as orb::idlgen.
  if(TARGET idlgen)
    set(idlgen_command idlgen)
  else()
    set(idlgen_command orb::idlgen)
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/idl_gen")
  set(include_flags "")
  foreach(dir IN LISTS ARG_INCLUDE_DIRS)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND include_flags "-I${dir}")
  endforeach()

  foreach(idl IN LISTS ARG_FILES)
    get_filename_component(idl "${idl}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    # idlgen names the outputs after the file name up to its last dot.
    get_filename_component(base "${idl}" NAME_WLE)
    set(outputs
      "${out_dir}/${base}.hpp"
      "${out_dir}/${base}.cpp"
      "${out_dir}/${base}_servant.hpp"
      "${out_dir}/${base}_servant.cpp")
    # Another target of this directory may have generated the file already:
    # it then shares those outputs, whatever INCLUDE_DIRS this call names,
    # since they change where idlgen looks, not what it writes.
    get_property(generated DIRECTORY PROPERTY ORB_IDL_GENERATED)
    if("${idl}" IN_LIST generated)
      target_sources(${target} PRIVATE "${out_dir}/${base}.cpp" "${out_dir}/${base}_servant.cpp")
      continue()
    endif()
    set_property(DIRECTORY APPEND PROPERTY ORB_IDL_GENERATED "${idl}")
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${idlgen_command} ${include_flags} -o "${out_dir}" -M "${out_dir}/${base}.d" "${idl}"
      DEPENDS "${idl}" ${idlgen_command}
      DEPFILE "${out_dir}/${base}.d"
      COMMENT "Generating C++ from ${base}.idl"
      VERBATIM)
    target_sources(${target} PRIVATE "${out_dir}/${base}.cpp" "${out_dir}/${base}_servant.cpp")
  endforeach()
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
endfunction()
