# emlkit_module(<name> [DEPS libs...] [TEST_DEPS libs...])
#
# Builds the folder that calls it as the static library emlkit_<name> from every *.cc file in it
# (recursively), except *_test.cc, *_fuzz.cc and *_bench.cc. If the folder has *_test.cc files they
# become one GoogleTest executable emlkit_<name>_tests registered with ctest. So adding a source
# or a test file needs no CMake edit. Include paths are rooted at src/ ("data/csv_reader.h").
function(emlkit_module name)
  cmake_parse_arguments(M "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER srcs EXCLUDE REGEX "(_test|_fuzz|_bench)\\.cc$")
  if(srcs)
    add_library(emlkit_${name} STATIC ${srcs})
    target_include_directories(emlkit_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(emlkit_${name} PUBLIC ${M_DEPS})
  else()
    add_library(emlkit_${name} INTERFACE)
    target_include_directories(emlkit_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(emlkit_${name} INTERFACE ${M_DEPS})
  endif()

  emlkit_fuzz_targets(emlkit_${name})
  if(EMLKIT_BUILD_TESTS)
    file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
    if(tests)
      add_executable(emlkit_${name}_tests ${tests})
      target_link_libraries(emlkit_${name}_tests PRIVATE emlkit_${name} emlkit_testsupport
                            ${M_TEST_DEPS} GTest::gtest GTest::gmock emlkit_gtest_main)
      gtest_discover_tests(emlkit_${name}_tests DISCOVERY_MODE PRE_TEST
                           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                           PROPERTIES SKIP_REGULAR_EXPRESSION "EMLKIT-TEST-SKIPPED" LABELS "unit;${name}")
    endif()
  endif()
endfunction()

# emlkit_fuzz_targets(<module-target>): every *_fuzz.cc in the calling folder becomes a libFuzzer
# executable named after the file (csv_reader_fuzz.cc -> csv_reader_fuzz) when EMLKIT_FUZZ is on.
# The target `fuzzers` builds all of them (and only what they link).
function(emlkit_fuzz_targets lib)
  if(NOT EMLKIT_FUZZ)
    return()
  endif()
  file(GLOB_RECURSE fuzzers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_fuzz.cc)
  foreach(f ${fuzzers})
    get_filename_component(fname ${f} NAME_WE)
    add_executable(${fname} ${f})
    target_link_libraries(${fname} PRIVATE ${lib})
    target_compile_options(${fname} PRIVATE -fsanitize=fuzzer)
    target_link_options(${fname} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${fname} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
    if(NOT TARGET fuzzers)
      add_custom_target(fuzzers)
    endif()
    add_dependencies(fuzzers ${fname})
  endforeach()
endfunction()
