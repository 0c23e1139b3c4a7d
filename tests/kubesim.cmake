# kubesim suites (backend/kubesim): the simulator over real HTTP, and real kubectl against it.
pullwatch_add_test(tst_kubesim SOURCES tst_kubesim.cpp LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_logs SOURCES tst_kubesim_logs.cpp LINKS pullwatch_kubesim TIMEOUT 60)
# Pull Jobs by scenario, and the demo namespace; each suite derives from KubeSimScenarioFixture.
foreach(suite tst_kubesim_scenarios tst_kubesim_demo)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp kubesimscenariofixture.h
                       LINKS pullwatch_kubesim TIMEOUT 60)
endforeach()
pullwatch_add_test(tst_kubesim_kubectl SOURCES tst_kubesim_kubectl.cpp TIMEOUT 120)
target_compile_definitions(tst_kubesim_kubectl PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")
add_dependencies(tst_kubesim_kubectl pullwatch-kubesim)
pullwatch_add_test(tst_kubesim_auth SOURCES tst_kubesim_auth.cpp LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_watch SOURCES tst_kubesim_watch.cpp LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_exe SOURCES tst_kubesim_exe.cpp TIMEOUT 60)
target_compile_definitions(tst_kubesim_exe PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")
add_dependencies(tst_kubesim_exe pullwatch-kubesim)
pullwatch_add_test(tst_kubesim_timers SOURCES tst_kubesim_timers.cpp LINKS pullwatch_kubesim TIMEOUT 60)
