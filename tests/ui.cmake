# The desktop window (ui/): models, widgets against the real backend, log throughput.
pullwatch_add_test(tst_ui_models SOURCES tst_ui_models.cpp LINKS pullwatch_ui)
pullwatch_add_test(tst_ui_logframe SOURCES tst_ui_logframe.cpp LINKS pullwatch_ui)
pullwatch_add_test(tst_ui_logframe_view SOURCES tst_ui_logframe_view.cpp LINKS pullwatch_ui Qt6::WebSockets)
pullwatch_add_test(tst_ui_logstream SOURCES tst_ui_logstream.cpp LINKS pullwatch_ui Qt6::WebSockets)
# The window against `pullwatch --headless --demo`, by topic; each suite derives from
# UiWindowFixture and starts its own backend.
foreach(topic pulls logs connection)
    pullwatch_add_test(tst_ui_window_${topic} SOURCES tst_ui_window_${topic}.cpp
                       uiwindowfixture.cpp uiwindowfixture.h LINKS pullwatch_ui TIMEOUT 400)
    add_dependencies(tst_ui_window_${topic} pullwatch)
endforeach()
# The Logs tab against `pullwatch --headless --demo`: its tabs (tst_ui_logtabs) and a tab's
# view (tst_ui_logtabs_view), each deriving from UiLogTabsFixture; levels, colours, markers and
# file names without a backend (tst_ui_logtabs_format).
foreach(suite tst_ui_logtabs tst_ui_logtabs_view)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp uilogtabsfixture.cpp uilogtabsfixture.h
                       uiwindowfixture.cpp uiwindowfixture.h LINKS pullwatch_ui TIMEOUT 300)
    add_dependencies(${suite} pullwatch)
endforeach()
pullwatch_add_test(tst_ui_logtabs_format SOURCES tst_ui_logtabs_format.cpp LINKS pullwatch_ui TIMEOUT 300)
# The window's parts that need no backend: the shortcuts dialog, the connection problem, a
# log view's backlog.
pullwatch_add_test(tst_ui_windowparts SOURCES tst_ui_windowparts.cpp LINKS pullwatch_ui)
pullwatch_add_test(tst_ui_logthroughput SOURCES tst_ui_logthroughput.cpp LINKS pullwatch_ui Qt6::WebSockets)

# Screenshots for docs/screenshots/ (run under Xvfb by hand; not a CTest test).
add_executable(tst_ui_screenshots tst_ui_screenshots.cpp)
target_link_libraries(tst_ui_screenshots PRIVATE pullwatch_app pullwatch_ui Qt6::Test)
target_compile_options(tst_ui_screenshots PRIVATE -UQT_NO_CAST_FROM_ASCII)
target_compile_definitions(tst_ui_screenshots PRIVATE QT_RESTRICTED_CAST_FROM_ASCII)
