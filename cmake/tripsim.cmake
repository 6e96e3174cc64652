# tripsim_library(NAME SRCS ... DEPS ...): one static library per component, named tripsim_<NAME>,
# aliased tripsim::<NAME>. Includes are rooted at src/ ("tripsim/<component>/<file>.h").
set(TRIPSIM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND TRIPSIM_WARNINGS -Wthread-safety)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 warns wrongly about `"literal" + std::string` once inlined (memcpy "accessing
  # 9223372036854775810 or more bytes"; GCC bugs 105329, 105651); clang builds keep the check.
  list(APPEND TRIPSIM_WARNINGS -Wno-restrict)
endif()
if(TRIPSIM_FUZZ)
  # Coverage instrumentation for every library; the fuzz targets add the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(TRIPSIM_SANITIZE)
  add_compile_options(-fsanitize=${TRIPSIM_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${TRIPSIM_SANITIZE})
endif()

function(tripsim_library NAME)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(tripsim_${NAME} STATIC ${ARG_SRCS})
  add_library(tripsim::${NAME} ALIAS tripsim_${NAME})
  set_target_properties(tripsim_${NAME} PROPERTIES EXPORT_NAME ${NAME})
  target_include_directories(tripsim_${NAME} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
                                                    $<INSTALL_INTERFACE:include>)
  target_compile_options(tripsim_${NAME} PRIVATE ${TRIPSIM_WARNINGS})
  target_link_libraries(tripsim_${NAME} PUBLIC ${ARG_DEPS})
endfunction()

# tripsim_test(NAME SRCS ... DEPS ...): a GoogleTest binary registered with CTest.
function(tripsim_test NAME)
  if(NOT TRIPSIM_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SRCS})
  set_target_properties(${NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_options(${NAME} PRIVATE ${TRIPSIM_WARNINGS})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

# tripsim_embed(TARGET_VAR FILE SYMBOL): compiles FILE into a std::string_view named SYMBOL in
# namespace tripsim::embedded, so the binaries carry their data files wherever they run.
function(tripsim_embed OUT_VAR FILE SYMBOL)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${SYMBOL}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${FILE} -DOUT=${out} -DSYMBOL=${SYMBOL}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${FILE} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${FILE}")
  set(${OUT_VAR} ${out} PARENT_SCOPE)
endfunction()
