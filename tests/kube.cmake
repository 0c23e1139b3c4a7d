# Kubernetes client suites (backend/kube). Helpers with a kube prefix live next to them.
add_library(pullwatch_kubetest STATIC kubefakeapi.cpp kubefakeapilogs.cpp kubetestpki.cpp)
target_link_libraries(pullwatch_kubetest PUBLIC pullwatch_http pullwatch_kube Qt6::Network)
target_compile_options(pullwatch_kubetest PRIVATE -UQT_NO_CAST_FROM_ASCII)
target_compile_definitions(pullwatch_kubetest PRIVATE QT_RESTRICTED_CAST_FROM_ASCII)
target_include_directories(pullwatch_kubetest PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})

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
