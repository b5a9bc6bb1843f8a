# emlkit_runtime_embedded_files(<var> <runtime dir>): the runtime files `emlkit export` embeds:
# public headers, the interpreter, the kernels (portable, reference and arm_dsp variants) and the
# firmware-side app code and the device preprocessing (preprocess/); not tests, fuzzers, benchmarks or the x86-only host kernels.
function(emlkit_runtime_embedded_files var root)
  if(CMAKE_SCRIPT_MODE_FILE)
    set(cd "")
  else()
    set(cd CONFIGURE_DEPENDS)
  endif()
  file(GLOB_RECURSE found ${cd} ${root}/include/*.h ${root}/src/*.h ${root}/src/*.cc
       ${root}/kernels/*.h ${root}/kernels/*.cc ${root}/app/*.h ${root}/app/*.cc
       ${root}/preprocess/*.h ${root}/preprocess/*.cc)
  list(FILTER found EXCLUDE REGEX "(_test|_fuzz|_bench)\\.cc$|/host_x86/")
  list(SORT found)
  set(${var} ${found} PARENT_SCOPE)
endfunction()
