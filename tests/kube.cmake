# Kubernetes client suites (backend/kube), on the fake API server of pullwatch_kubetest
# (tests/testsupport).

pullwatch_add_test(tst_kubeconfig SOURCES tst_kubeconfig.cpp LINKS pullwatch_kube TIMEOUT 60)
pullwatch_add_test(tst_kubeparts SOURCES tst_kubeparts.cpp LINKS pullwatch_kube TIMEOUT 60)
pullwatch_add_test(tst_kubeobjects SOURCES tst_kubeobjects.cpp LINKS pullwatch_kube TIMEOUT 60)
pullwatch_add_test(tst_kubeauth SOURCES tst_kubeauth.cpp LINKS pullwatch_kubetest TIMEOUT 120)
pullwatch_add_test(tst_kubeclient SOURCES tst_kubeclient.cpp LINKS pullwatch_kubetest TIMEOUT 120)
pullwatch_add_test(tst_kubeinformer SOURCES tst_kubeinformer.cpp LINKS pullwatch_kubetest TIMEOUT 120)
pullwatch_add_test(tst_kubelogstream SOURCES tst_kubelogstream.cpp LINKS pullwatch_kubetest TIMEOUT 120)

# Against kubesim, the simulated cluster (only through the HTTP API; no shared code).
if(TARGET pullwatch_kubesim)
    pullwatch_add_test(tst_kubeonsim SOURCES tst_kubeonsim.cpp LINKS pullwatch_kube pullwatch_kubesim TIMEOUT 180)
endif()
