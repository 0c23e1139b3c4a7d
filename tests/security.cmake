# docs/architecture.md §6: the security of the embedded server, as tables of requests with
# the answers expected, in-process (tst_security) and against the real binary
# (tst_security_process: generated token file, TLS with a wrong key).
# tst_security: requests and static files; tst_security_sessions: login, logout, brute force.
foreach(suite tst_security tst_security_sessions)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp securityfixture.cpp securityfixture.h
                       logcapture.h tst_securityraw.h LINKS pullwatch_server Qt6::WebSockets)
endforeach()
pullwatch_add_test(tst_security_limits SOURCES tst_security_limits.cpp tst_securityraw.h
                   LINKS pullwatch_server)
pullwatch_add_test(tst_security_process SOURCES tst_security_process.cpp tst_securityraw.h testjwt.h)
add_dependencies(tst_security_process pullwatch)
pullwatch_add_test(tst_security_ws SOURCES tst_security_ws.cpp
                   LINKS pullwatch_wstestsupport TIMEOUT 120)
# JWTs (HS256 of the platform, RS256, ES256), roles and allowed origins on the simulated
# cluster; the tokens are signed by the test itself and by the openssl command.
# tst_security_jwt: the table; tst_security_jwt_audit: sessions, audit lines, bad keys.
foreach(suite tst_security_jwt tst_security_jwt_audit)
    pullwatch_add_test(${suite} SOURCES ${suite}.cpp jwtserversfixture.cpp jwtserversfixture.h
                       logcapture.h tst_securityraw.h testjwt.h
                       LINKS pullwatch_server pullwatch_clusterfixture TIMEOUT 120)
endforeach()
# Two replicas and one real redis-server: a logout on one holds on the others.
pullwatch_add_test(tst_security_replicas SOURCES tst_security_replicas.cpp tst_securityraw.h
                   LINKS pullwatch_server TIMEOUT 120)
# Hostile clients over raw sockets against the real server: bounded or refused.
pullwatch_add_test(tst_hostileclients SOURCES tst_hostileclients.cpp tst_securityraw.h
                   LINKS pullwatch_server Qt6::WebSockets)
