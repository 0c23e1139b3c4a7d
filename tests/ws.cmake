# WebSocket API suites (backend/server/ws*): the real server on an in-process kubesim.
pullwatch_add_test(tst_ws_status SOURCES tst_ws_status.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 120)
pullwatch_add_test(tst_ws_logs SOURCES tst_ws_logs.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 180)
pullwatch_add_test(tst_ws_keepalive SOURCES tst_ws_keepalive.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 60)
pullwatch_add_test(tst_ws_v1 SOURCES tst_ws_v1.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 240)
pullwatch_add_test(tst_ws_logs_merged SOURCES tst_ws_logs_merged.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 300)
pullwatch_add_test(tst_ws_catalog SOURCES tst_ws_catalog.cpp tst_ws_support.h
    LINKS pullwatch_server pullwatch_kubesim Qt6::WebSockets TIMEOUT 120)
pullwatch_add_test(tst_ws_turns SOURCES tst_ws_turns.cpp LINKS pullwatch_server TIMEOUT 60)
