# The desktop window (ui/): models, widgets against the real backend, log throughput.
pullwatch_add_test(tst_ui_models SOURCES tst_ui_models.cpp LINKS pullwatch_ui)
pullwatch_add_test(tst_ui_window SOURCES tst_ui_window.cpp LINKS pullwatch_ui TIMEOUT 400)
add_dependencies(tst_ui_window pullwatch)
pullwatch_add_test(tst_ui_logthroughput SOURCES tst_ui_logthroughput.cpp LINKS pullwatch_ui Qt6::WebSockets)
