# Benchmarks (bench/): the clients and reference server are built with the tree; the smoke
# mode of bench/run checks that the harness still produces every figure (not the targets),
# each new scenario (CPU per unit, references, fairness, cost curves) at its smallest size.
add_subdirectory(${PROJECT_SOURCE_DIR}/bench ${CMAKE_BINARY_DIR}/bench)
add_test(NAME bench_smoke
    COMMAND ${PROJECT_SOURCE_DIR}/bench/run --smoke --no-build --build-dir ${CMAKE_BINARY_DIR})
set_tests_properties(bench_smoke PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
