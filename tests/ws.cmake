# WebSocket API suites (backend/server/ws*): the real server on an in-process kubesim.
pullwatch_add_test(tst_ws_status SOURCES tst_ws_status.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 120)
pullwatch_add_test(tst_ws_logs SOURCES tst_ws_logs.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 180)
pullwatch_add_test(tst_ws_keepalive SOURCES tst_ws_keepalive.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 60)
pullwatch_add_test(tst_ws_connection SOURCES tst_ws_connection.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 60)
pullwatch_add_test(tst_ws_v1 SOURCES tst_ws_v1.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 240)
pullwatch_add_test(tst_ws_logs_merged SOURCES tst_ws_logs_merged.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 300)
pullwatch_add_test(tst_ws_catalog SOURCES tst_ws_catalog.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 120)
# What a log session follows (backend/logs), on an in-process kubesim.
pullwatch_add_test(tst_joblogfollower SOURCES tst_joblogfollower.cpp
    LINKS pullwatch_wstestsupport TIMEOUT 120)
