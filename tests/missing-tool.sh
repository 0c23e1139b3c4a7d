#!/bin/sh
# Stands in for a tool that was missing when CMake configured: the test fails and says what
# to install, instead of disappearing from the suite.
#   missing-tool.sh TOOL "WHAT TO INSTALL" [the test's arguments…]
echo "FAIL: $1 was not found when the build was configured; install $2, then configure again" >&2
exit 1
