# Writes OUT: a C++ file holding the device runtime's sources as strings, keyed by their path
# relative to runtime/ (ROOT), so `emlkit export` can put exactly the files a model needs into a
# package even when emlkit runs far from its source tree. Run as `cmake -DROOT=.. -DOUT=.. -P`.
# The file list is the one src/export/CMakeLists.txt depends on (emlkit_runtime_embedded_files).
include(${CMAKE_CURRENT_LIST_DIR}/runtime_file_list.cmake)
emlkit_runtime_embedded_files(files ${ROOT})
set(delim "emlkit_rt_")
set(body "// Generated at build time by src/export/embed_runtime.cmake: the device runtime's\n")
string(APPEND body "// sources (paths relative to runtime/). Do not edit.\n")
string(APPEND body "#include \"export/runtime_files.h\"\n\nnamespace emlkit::exporter {\n")
string(APPEND body "namespace {\nconstexpr RuntimeFile kFiles[] = {\n")
foreach(f ${files})
  file(RELATIVE_PATH rel ${ROOT} ${f})
  file(READ ${f} content)
  string(FIND "${content}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )${delim}\"; change it here")
  endif()
  string(APPEND body "    {\"${rel}\", R\"${delim}(${content})${delim}\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace\n\nstd::span<const RuntimeFile> EmbeddedRuntimeFiles() {")
string(APPEND body " return kFiles; }\n\n}  // namespace emlkit::exporter\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
