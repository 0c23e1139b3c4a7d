# The chaos soak (tests/soak): 3 minutes here, `make soak MINUTES=N` for longer runs.
if(TARGET pullwatch_clusterfixture)
    pullwatch_add_test(tst_soak SOURCES soak/tst_soak.cpp soak/clusterproxy.h soak/resumingviewer.h
                       soak/reconnectingsocket.h soak/subscriber.h
                       LINKS pullwatch_wstestsupport TIMEOUT 900)
    target_include_directories(tst_soak PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    add_dependencies(tst_soak pullwatch)
    set_tests_properties(tst_soak PROPERTIES LABELS soak)
    # Qt Test stops a test function after 5 minutes unless told otherwise.
    set_property(TEST tst_soak APPEND PROPERTY ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=900000")
endif()
