# WebSocket API suites (backend/server/ws*): the real server on an in-process kubesim.
# Status sockets, keep-alive and /metrics (tst_ws_status); /namespaces and /pods (tst_ws_pods).
foreach(suite tst_ws_status tst_ws_pods)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp wsstatusfixture.cpp wsstatusfixture.h
        LINKS pullwatch_wstestsupport TIMEOUT 120)
endforeach()
# /ws/pod-logs, by topic; each suite derives from WsLogsFixture. On chatty pods: streaming
# (tst_ws_logs) and resuming (tst_ws_logs_resume); merged views (tst_ws_logs_merged) and where
# their lines start and go on (tst_ws_logs_merged_resume).
foreach(suite tst_ws_logs tst_ws_logs_resume)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp wslogsfixture.cpp wslogsfixture.h
        LINKS pullwatch_wstestsupport TIMEOUT 180)
endforeach()
pullwatch_add_test(tst_ws_keepalive SOURCES tst_ws_keepalive.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 60)
# The original service's clients (v1): pull sockets (tst_ws_v1) and log sockets (tst_ws_v1_logs).
foreach(suite tst_ws_v1 tst_ws_v1_logs)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp wsv1fixture.cpp wsv1fixture.h
        wslogsfixture.cpp wslogsfixture.h LINKS pullwatch_wstestsupport TIMEOUT 240)
endforeach()
foreach(suite tst_ws_logs_merged tst_ws_logs_merged_resume)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp wslogsfixture.cpp wslogsfixture.h
        LINKS pullwatch_wstestsupport TIMEOUT 300)
endforeach()
pullwatch_add_test(tst_ws_connection SOURCES tst_ws_connection.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 60)
pullwatch_add_test(tst_ws_catalog SOURCES tst_ws_catalog.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 180)
# What a log session follows (backend/logs), on an in-process kubesim.
pullwatch_add_test(tst_joblogfollower SOURCES tst_joblogfollower.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 120)
