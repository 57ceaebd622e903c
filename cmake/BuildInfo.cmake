# Generates build_info.cc on every build from git, rewriting it only when its content changes, so an
# unchanged tree does not relink. The build date is the commit date: builds are reproducible.
set(MM_BUILD_INFO_CC "${CMAKE_BINARY_DIR}/generated/build_info.cc")
add_custom_target(mm_build_info
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
          -DOUTPUT=${MM_BUILD_INFO_CC}
          -DVERSION=${PROJECT_VERSION}
          -DCOMPILER=${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${MM_BUILD_INFO_CC}
  COMMENT "Recording version and git commit")
