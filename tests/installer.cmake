# The Debian package, the systemd unit, the Kubernetes manifests and the docs.
# installer_package builds the .deb with CPack into its own directory and extracts it
# (dpkg -x); tst_installer and installer_systemd use what it extracted.
set(PULLWATCH_INSTALLER_TEST_DIR ${CMAKE_CURRENT_BINARY_DIR}/installer-test)
add_test(NAME installer_package
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tst_installer_package.sh
            ${CMAKE_BINARY_DIR} ${PULLWATCH_INSTALLER_TEST_DIR} ${PROJECT_VERSION})
set_tests_properties(installer_package PROPERTIES
    TIMEOUT 300
    FIXTURES_SETUP installer_root)

pullwatch_add_test(tst_installer SOURCES tst_installer.cpp TIMEOUT 120)
set_tests_properties(tst_installer PROPERTIES
    FIXTURES_REQUIRED installer_root
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PULLWATCH_PACKAGE_ROOT=${PULLWATCH_INSTALLER_TEST_DIR}/root;PULLWATCH_BINARY=${PULLWATCH_INSTALLER_TEST_DIR}/root/usr/bin/pullwatch")

add_test(NAME installer_systemd
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tst_installer_systemd.sh ${PULLWATCH_INSTALLER_TEST_DIR}/root)
set_tests_properties(installer_systemd PROPERTIES TIMEOUT 60 FIXTURES_REQUIRED installer_root)

pullwatch_add_test(tst_installer_manifests SOURCES tst_installer_manifests.cpp
                   LINKS PkgConfig::YAMLCPP TIMEOUT 60)
pullwatch_add_test(tst_installer_docs SOURCES tst_installer_docs.cpp TIMEOUT 60)
target_compile_definitions(tst_installer_manifests PRIVATE PULLWATCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_compile_definitions(tst_installer_docs PRIVATE PULLWATCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_compile_definitions(tst_installer_docs PRIVATE KUBESIM_BINARY="$<TARGET_FILE:pullwatch-kubesim>")
add_dependencies(tst_installer_docs pullwatch pullwatch-kubesim)

# kubectl's built-in kustomize renders both kustomizations (offline, no cluster needed).
find_program(PULLWATCH_KUBECTL kubectl)
set(kubectl ${PULLWATCH_KUBECTL})
if(NOT PULLWATCH_KUBECTL)
    set(kubectl ${CMAKE_CURRENT_SOURCE_DIR}/missing-tool.sh kubectl
        "kubectl (Debian: kubernetes-client; scripts/install-deps.sh installs it)")
endif()
foreach(dir kubernetes kubernetes/redis)
    string(REPLACE "/" "_" name "installer_kustomize_${dir}")
    add_test(NAME ${name} COMMAND ${kubectl} kustomize ${PROJECT_SOURCE_DIR}/installer/${dir})
    set_tests_properties(${name} PROPERTIES TIMEOUT 60)
endforeach()
