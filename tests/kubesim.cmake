# kubesim suites (backend/kubesim): the simulator over real HTTP, and real kubectl against it.
pullwatch_add_test(tst_kubesim SOURCES tst_kubesim.cpp kubesimtestsupport.h LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_logs SOURCES tst_kubesim_logs.cpp kubesimtestsupport.h LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_scenarios SOURCES tst_kubesim_scenarios.cpp kubesimtestsupport.h LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_kubectl SOURCES tst_kubesim_kubectl.cpp kubesimtestsupport.h TIMEOUT 120)
target_compile_definitions(tst_kubesim_kubectl PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")
add_dependencies(tst_kubesim_kubectl pullwatch-kubesim)
pullwatch_add_test(tst_kubesim_auth SOURCES tst_kubesim_auth.cpp kubesimtestsupport.h LINKS pullwatch_kubesim TIMEOUT 60)
pullwatch_add_test(tst_kubesim_watch SOURCES tst_kubesim_watch.cpp kubesimtestsupport.h LINKS pullwatch_kubesim TIMEOUT 60)
