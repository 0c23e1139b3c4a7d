# The chaos soak (tests/soak): 3 minutes here, `make soak MINUTES=N` for longer runs.
if(TARGET pullwatch_clusterfixture)
    pullwatch_add_test(tst_soak SOURCES soak/tst_soak.cpp LINKS pullwatch_clusterfixture
                       TIMEOUT 900)
    add_dependencies(tst_soak pullwatch)
    set_tests_properties(tst_soak PROPERTIES LABELS soak)
endif()
