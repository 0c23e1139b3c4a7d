# The desktop window (ui/): models, widgets against the real backend, log throughput.
pullwatch_add_test(tst_ui_models SOURCES tst_ui_models.cpp LINKS pullwatch_ui)
