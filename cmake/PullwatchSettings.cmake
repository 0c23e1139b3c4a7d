# One INTERFACE target carries the compile settings every Pullwatch target shares.
option(PULLWATCH_WERROR "Treat warnings as errors" OFF)
if(DEFINED ENV{CI} AND "$ENV{CI}" STREQUAL "true")
    set(PULLWATCH_WERROR ON CACHE BOOL "Treat warnings as errors" FORCE)
endif()

add_library(pullwatch_settings INTERFACE)
target_compile_features(pullwatch_settings INTERFACE cxx_std_17)
target_compile_definitions(pullwatch_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_KEYWORDS
    PULLWATCH_VERSION="${PROJECT_VERSION}")
target_compile_options(pullwatch_settings INTERFACE -Wall -Wextra -Wpedantic)
if(PULLWATCH_WERROR)
    target_compile_options(pullwatch_settings INTERFACE -Werror)
endif()

# A static library for one folder of backend/ or ui/: pullwatch_add_library(NAME SOURCES… LINKS…)
function(pullwatch_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LINKS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_link_libraries(${name} PUBLIC pullwatch_settings ${ARG_LINKS})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
endfunction()
