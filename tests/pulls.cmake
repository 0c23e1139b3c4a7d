pullwatch_add_test(tst_pullparts SOURCES tst_pullparts.cpp LINKS pullwatch_pulls)
pullwatch_add_test(tst_pulltracker SOURCES tst_pulltracker.cpp LINKS pullwatch_pulls)
pullwatch_add_test(tst_pullservice SOURCES tst_pullservice.cpp LINKS pullwatch_pulls pullwatch_clusterfixture)
# The REST API on the simulated cluster, by topic; each suite derives from PullApiFixture.
foreach(suite tst_pullapi tst_pullapi_input)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp pullapifixture.cpp pullapifixture.h
                       LINKS pullwatch_server pullwatch_clusterfixture)
endforeach()
pullwatch_add_test(tst_pullrestart SOURCES tst_pullrestart.cpp)
add_dependencies(tst_pullrestart pullwatch pullwatch-kubesim)
target_compile_definitions(tst_pullrestart PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")

add_library(pullwatch_callbackreceiver STATIC callbackreceiver.cpp)
target_link_libraries(pullwatch_callbackreceiver PUBLIC pullwatch_http)
target_include_directories(pullwatch_callbackreceiver PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
pullwatch_add_test(tst_pullnotify SOURCES tst_pullnotify.cpp
    LINKS pullwatch_pulls pullwatch_cache pullwatch_clusterfixture pullwatch_callbackreceiver)

# Real pullwatch processes sharing one redis-server and one pullwatch-kubesim.
pullwatch_add_test(tst_multireplica SOURCES tst_multireplica.cpp LINKS pullwatch_callbackreceiver Qt6::WebSockets)
add_dependencies(tst_multireplica pullwatch pullwatch-kubesim)
target_compile_definitions(tst_multireplica PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")
