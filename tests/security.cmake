# docs/architecture.md §6: the security of the embedded server, as tables of requests with
# the answers expected, in-process (tst_security) and against the real binary
# (tst_security_process: generated token file, TLS with a wrong key).
pullwatch_add_test(tst_security SOURCES tst_security.cpp tst_securityraw.h
                   LINKS pullwatch_server Qt6::WebSockets)
pullwatch_add_test(tst_security_limits SOURCES tst_security_limits.cpp tst_securityraw.h
                   LINKS pullwatch_server)
pullwatch_add_test(tst_security_process SOURCES tst_security_process.cpp tst_securityraw.h testjwt.h)
add_dependencies(tst_security_process pullwatch)
pullwatch_add_test(tst_security_ws SOURCES tst_security_ws.cpp
                   LINKS pullwatch_wstestsupport TIMEOUT 120)
# JWTs (HS256 of the platform, RS256, ES256), roles and allowed origins on the simulated
# cluster; the tokens are signed by the test itself and by the openssl command.
pullwatch_add_test(tst_security_jwt SOURCES tst_security_jwt.cpp tst_securityraw.h testjwt.h
                   LINKS pullwatch_server pullwatch_clusterfixture TIMEOUT 120)
# Two replicas and one real redis-server: a logout on one holds on the others.
pullwatch_add_test(tst_security_replicas SOURCES tst_security_replicas.cpp tst_securityraw.h
                   LINKS pullwatch_server TIMEOUT 120)
# Hostile clients over raw sockets against the real server: bounded or refused.
pullwatch_add_test(tst_hostileclients SOURCES tst_hostileclients.cpp tst_securityraw.h
                   LINKS pullwatch_server Qt6::WebSockets)
