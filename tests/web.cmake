# The web UI. Node unit tests of its pure modules, end-to-end tests in Debian's
# headless Chromium driven by playwright-core and a smoke run in Firefox ESR (installed by scripts/install-browser-deps.sh,
# which `make test` runs). A missing node or chromium fails the test with a message saying
# what to install; it is never skipped silently.
find_program(PULLWATCH_NODE node)
set(PULLWATCH_BROWSER_DIR ${CMAKE_CURRENT_SOURCE_DIR}/browser)
if(PULLWATCH_NODE)
    set(node ${PULLWATCH_NODE})
else()
    # Registered all the same, so the suite never shrinks with what is installed: each
    # fails and says what to install.
    set(node ${CMAKE_CURRENT_SOURCE_DIR}/missing-tool.sh node
        "the Debian packages nodejs and npm, then scripts/install-browser-deps.sh")
endif()
# A script driving a browser against the real pullwatch and pullwatch-kubesim binaries.
function(pullwatch_add_browser_test name script)
    add_test(NAME ${name}
        COMMAND ${node} ${PULLWATCH_BROWSER_DIR}/${script}
                --pullwatch $<TARGET_FILE:pullwatch>
                --kubesim $<TARGET_FILE:pullwatch-kubesim>
                --artifacts ${PULLWATCH_BROWSER_DIR}/artifacts)
endfunction()
add_test(NAME web_unit COMMAND ${node} --test ${PULLWATCH_BROWSER_DIR}/unit.mjs)
pullwatch_add_browser_test(web_browser e2e.mjs)
# A person's first hour: validation in the server's words, counts, ticking times, the cause
# first, pull rows to logs and their menu, history, 360 px cards, help.
pullwatch_add_browser_test(web_firstuse firstuse.mjs)
# The same UI in Firefox ESR (puppeteer-core over WebDriver BiDi): a smoke run.
pullwatch_add_browser_test(web_firefox firefox.mjs)
set_tests_properties(web_firstuse PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
set_tests_properties(web_firefox PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
set_tests_properties(web_unit PROPERTIES TIMEOUT 60)
# Runs alone: it times pulls and log streams on a 2-core machine.
set_tests_properties(web_browser PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE)
